// The one-shot check's sorts (counting sort for small-range integers, radix sort for the rest)
// order every sample exactly as Float64Array#sort does, -0 before 0 and ±Infinity at the ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { finitePart, sortInPlace } from '../src/stats/sorted.ts';

const value = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer({ min: -50, max: 50 }).map(Number),
  fc.integer().map(Number),
  fc.constantFrom(-0, 0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MAX_VALUE),
);

function assertSortedLikeV8(values: Float64Array) {
  const expected = values.slice().sort();
  const got = sortInPlace(values);
  for (let i = 0; i < expected.length; i++)
    assert.ok(Object.is(got[i], expected[i]), `at ${i}: ${got[i]} vs ${expected[i]}`);
}

test('sortInPlace orders any doubles as Float64Array#sort does', () => {
  fc.assert(
    fc.property(fc.array(value, { minLength: 4096, maxLength: 6000 }), (list) =>
      assertSortedLikeV8(Float64Array.from(list)),
    ),
    { numRuns: 40 },
  );
});

test('small-range integers (counted) and wide-range integers (radix sorted) sort alike', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -20, max: 1500 }), { minLength: 4096, maxLength: 6000 }), (list) =>
      assertSortedLikeV8(Float64Array.from(list)),
    ),
    { numRuns: 20 },
  );
  assertSortedLikeV8(Float64Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) * 1e6));
});

test('finitePart drops the infinities at both ends without copying', () => {
  const sorted = Float64Array.from([-Infinity, -Infinity, 1, 2, Infinity]);
  const finite = finitePart(sorted);
  assert.deepEqual([...finite], [1, 2]);
  assert.equal(finite.buffer, sorted.buffer);
  assert.equal(finitePart(Float64Array.from([Infinity])).length, 0);
});
