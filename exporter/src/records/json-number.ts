// A JSON number read from UTF-8 bytes, giving exactly what JSON.parse gives for the same text,
// without making a string. Most numbers take Clinger's fast path: a decimal mantissa of at most
// 2^53 (exact as a double) scaled by 10^e with |e| <= 22 (exact as a double too) is one correctly
// rounded multiplication or division. Others are read by Number() of
// the text, which rounds correctly as JSON.parse does.
import { asciiText } from './byte-table.ts';

/** 10^0 … 10^22: every one exact as a double. */
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** 2^53: every whole number below it is a double (and a mantissa computed below it was computed exactly). */
const MAX_EXACT_MANTISSA = 2 ** 53;
const ZERO = 48;
const NINE = 57;

/**
 * The value of the JSON number text in `bytes[start, end)`, or NaN when that text is not exactly
 * one JSON number (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`). JSON has no NaN, so NaN means refused.
 */
export function parseJsonNumber(bytes: Uint8Array, start: number, end: number): number {
  const value = readJsonNumber(bytes, start, end);
  return numberEnd === end ? value : NaN;
}

/** Where the number read by the last readJsonNumber ended. */
export let numberEnd = 0;

/**
 * The JSON number at `bytes[start]`, read in one pass up to the first byte that cannot continue
 * it (`numberEnd`, at most `limit`); NaN when no number starts there, or when that byte is one a
 * number is written with (digit, sign, point, e): the text is then no JSON number (01, 1.2.3, 1e5e5).
 */
export function readJsonNumber(bytes: Uint8Array, start: number, limit: number): number {
  let at = start;
  const negative = bytes[at] === 45; /* - */
  if (negative) at++;
  if (at >= limit) return NaN;
  // Every digit goes into the mantissa: it only grows, so it is exact if it ends at most 2^53.
  let mantissa = 0;
  let fractionDigits = 0;
  // Integer part: 0, or a digit 1-9 then digits.
  let c = bytes[at];
  if (c === ZERO) {
    at++;
  } else if (c > ZERO && c <= NINE) {
    for (; at < limit && (c = bytes[at]) >= ZERO && c <= NINE; at++) mantissa = mantissa * 10 + (c - ZERO);
  } else {
    return NaN;
  }
  if (at < limit && bytes[at] === 46 /* . */) {
    at++;
    const first = at;
    for (; at < limit && (c = bytes[at]) >= ZERO && c <= NINE; at++) mantissa = mantissa * 10 + (c - ZERO);
    fractionDigits = at - first;
    if (fractionDigits === 0) return NaN;
  }
  let exponent = 0;
  if (at < limit && (bytes[at] | 32) === 101 /* e or E */) {
    at++;
    const exponentNegative = bytes[at] === 45;
    if (exponentNegative || bytes[at] === 43 /* + */) at++;
    const first = at;
    // Past 6 digits the exponent is left to Number (its value cannot take the fast path anyway).
    for (; at < limit && (c = bytes[at]) >= ZERO && c <= NINE; at++) {
      if (at - first < 6) exponent = exponent * 10 + (c - ZERO);
    }
    if (at === first) return NaN;
    if (at - first >= 6) exponent = Infinity;
    if (exponentNegative) exponent = -exponent;
  }
  if (at < limit && NUMBER_BYTES[bytes[at]] === 1) return NaN;
  numberEnd = at;
  const scale = exponent - fractionDigits;
  if (mantissa >= MAX_EXACT_MANTISSA || scale > 22 || scale < -22) return Number(asciiText(bytes, start, at));
  const magnitude = scale >= 0 ? mantissa * POWERS_OF_TEN[scale] : mantissa / POWERS_OF_TEN[-scale];
  return negative ? -magnitude : magnitude;
}

/** 1 for the bytes a number is written with: digits, + - . e E. */
const NUMBER_BYTES = Uint8Array.from({ length: 256 }, (_, c) => (/[0-9+\-.eE]/.test(String.fromCharCode(c)) ? 1 : 0));
