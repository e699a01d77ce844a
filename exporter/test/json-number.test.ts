// parseJsonNumber (the records fast path's number reader) against JSON.parse of the same text:
// the same double, bit for bit, for every JSON number, and a refusal (NaN) for any other text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonNumber } from '../src/records/json-number.ts';

function mulberry32(seed: number) {
  return () => {
    let t = (seed = (seed + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  const random = mulberry32(11);
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
  for (const text of [
    '0',
    '-0',
    '0.0',
    '-0.0',
    '0e0',
    '-0e-0',
    '0.000',
    '1e22',
    '1e23',
    '1e-22',
    '1e-23',
    '123456789012345',
    '1234567890123456',
    '999999999999999.9',
    '9007199254740992',
    '9007199254740993',
    '0.1',
    '0.2',
    '0.3',
    '0.30000000000000004',
    '1.7976931348623157e308',
    '1.7976931348623159e308',
    '1e309',
    '-1e309',
    '4.9e-324',
    '2.4e-324',
    '1e-400',
    '5e-324',
    '2.2250738585072014e-308',
    '0.000000000000000000000000001',
    '100000000000000000000000',
    '1e0000000000000000001',
    '1e-0000000000000000001',
    '123.456e-5',
    '1E+2',
    '1e+02',
    '12345678901234567890e-10',
  ]) {
    check(text);
  }
});

test('texts that are not exactly one JSON number are refused', () => {
  for (const text of [
    '',
    '-',
    '+1',
    '01',
    '-01',
    '1.',
    '.5',
    '1e',
    '1e+',
    '1e-',
    '--1',
    '1.2.3',
    '0x10',
    '1_0',
    'e5',
    '1e5e5',
    '1.e5',
    '-.5',
    '00',
    '1-',
    '1+1',
  ]) {
    check(text);
  }
  const random = mulberry32(5);
  const alphabet = '0123456789-+.eE';
  for (let i = 0; i < 50_000; i++) {
    const length = 1 + Math.floor(random() * 12);
    check(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
  }
});
