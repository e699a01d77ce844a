// parseJsonNumber (the records fast path's number reader) against JSON.parse of the same text:
// the same double, bit for bit, for every JSON number, and a refusal (NaN) for any other text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonNumber } from '../src/records/json-number.ts';
import { seededRandom } from './helpers/seeded-random.ts';
import { EDGE_NUMBERS, NOT_NUMBERS } from './helpers/json-number-cases.ts';

/** What JSON.parse makes of `text` as a number, or NaN where it refuses it or reads something else. */
function expected(text: string): number {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'number' && /^[-0-9]/.test(text) ? value : NaN;
  } catch {
    return NaN;
  }
}

function check(text: string): void {
  const bytes = Buffer.from(`[${text}]`);
  assert.ok(Object.is(parseJsonNumber(bytes, 1, bytes.length - 1), expected(text)), `${text}`);
}

test('numbers written by JavaScript, in every notation, read to the same double as JSON.parse', () => {
  const random = seededRandom(11);
  for (let i = 0; i < 20_000; i++) {
    const magnitude = 10 ** Math.floor(random() * 60 - 30);
    const x = (random() - 0.5) * magnitude;
    const digits = Math.floor(random() * 20);
    for (const text of [
      String(x),
      x.toExponential(digits),
      x.toFixed(Math.min(digits, 20)),
      x.toPrecision(digits + 1),
    ]) {
      check(text);
      check(text.replace('e+', 'E'));
    }
    check(String(Math.floor(random() * 2 ** 53)));
    check(`${Math.floor(random() * 1e6)}.${String(Math.floor(random() * 1e12)).padStart(12, '0')}`);
  }
});

test('the edges of the fast path: 15 and more digits, exponents 22 and 23, subnormals, overflow, zeros', () => {
  for (const text of EDGE_NUMBERS) {
    check(text);
  }
});

test('texts that are not exactly one JSON number are refused', () => {
  for (const text of NOT_NUMBERS) {
    check(text);
  }
  const random = seededRandom(5);
  const alphabet = '0123456789-+.eE';
  for (let i = 0; i < 50_000; i++) {
    const length = 1 + Math.floor(random() * 12);
    check(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
  }
});
