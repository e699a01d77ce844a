// Comparing computed floats with reference values (scipy's, numpy's, a closed form).
import assert from 'node:assert/strict';

/**
 * |actual - expected| <= max(rel |expected|, abs). A NaN (or null, JSON's NaN) expected value wants
 * NaN, an infinite one the same infinity.
 */
export function assertClose(actual: number, expected: number | null, what: string, rel = 1e-9, abs = 1e-12): void {
  if (expected === null || Number.isNaN(expected)) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  if (!Number.isFinite(expected)) {
    assert.equal(actual, expected, `${what}: got ${actual}, expected ${expected}`);
    return;
  }
  const err = Math.abs(actual - expected);
  assert.ok(
    err <= Math.max(rel * Math.abs(expected), abs),
    `${what}: got ${actual}, expected ${expected} (tolerance rel ${rel}, abs ${abs}; rel err ${err / Math.abs(expected)})`,
  );
}
