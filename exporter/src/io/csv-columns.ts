// A regular CSV file read straight from its bytes into columns, for the one-shot path's large
// files. A cell whose text is a number in its canonical spelling (`42`, `-7`, `0.25`: what String()
// gives back) becomes that number, every other cell its text: the meaning is the same, since a
// numeric feature reads the number and a categorical one reads String(number), the text itself
// (cell.ts); what changes is that a 500,000-row numeric column is 4 MB of numbers, not 500,000
// strings for the garbage collector, and no cell is parsed twice.
// Anything that is not regular (a row with another number of fields, a quote that never closes,
// text after a closing quote, a lone CR, mixed line ends) returns undefined, and the caller reads
// the file with csv-parse, which names the bad line.
import type { Cell, Table } from './read-table.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
// Up to 15 significant digits m / 10^k is the correctly rounded double (both exact, one division)
// and String() spells it back with the same digits.
const MAX_DIGITS = 15;
const POW10 = Float64Array.from({ length: MAX_DIGITS + 1 }, (_, k) => 10 ** k);

/**
 * The number bytes[start, end) spells canonically, or NaN: an optional minus, `0` or digits without
 * a leading zero, optionally `.` and digits not ending in 0; at most 15 digits; not -0; at least
 * 1e-6 when a fraction (smaller ones String() writes with an exponent).
 */
export function canonicalNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = bytes[i] === MINUS;
  if (negative) i++;
  if (i >= end) return NaN;
  const first = bytes[i];
  if (first < ZERO || first > NINE) return NaN;
  if (first === ZERO && i + 1 < end && bytes[i + 1] !== DOT) return NaN; // leading zero
  let mantissa = 0;
  let digits = 0;
  for (; i < end; i++) {
    const b = bytes[i];
    if (b < ZERO || b > NINE) break;
    mantissa = mantissa * 10 + (b - ZERO);
    digits++;
  }
  let fraction = 0;
  if (i < end) {
    if (bytes[i] !== DOT || i + 1 >= end || bytes[end - 1] === ZERO) return NaN;
    for (i++; i < end; i++) {
      const b = bytes[i];
      if (b < ZERO || b > NINE) return NaN;
      mantissa = mantissa * 10 + (b - ZERO);
      fraction++;
    }
    digits += fraction;
  }
  if (digits > MAX_DIGITS) return NaN;
  if (mantissa === 0) return negative ? NaN : 0; // -0 spells "0"
  const value = fraction === 0 ? mantissa : mantissa / POW10[fraction];
  if (fraction > 0 && value < 1e-6) return NaN;
  return negative ? -value : value;
}

// Short texts (category codes, flags) repeat: each distinct one is decoded once per file.
const MAX_INTERNED_BYTES = 24;
const MAX_INTERNED = 1 << 16;

/** A text cell's string; repeated short ASCII texts share one string instead of one per cell. */
class Texts {
  private readonly interned = new Map<number, string>();

  of(bytes: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length > MAX_INTERNED_BYTES) return bytes.toString('utf8', start, end);
    let hash = length;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 16777619);
    const known = this.interned.get(hash);
    if (known !== undefined && sameAscii(known, bytes, start, end)) return known;
    const text = bytes.toString('utf8', start, end);
    if (known === undefined && this.interned.size < MAX_INTERNED) this.interned.set(hash, text);
    return text;
  }
}

/** Whether `text` is exactly the bytes, read as ASCII (non-ASCII texts are simply not shared). */
function sameAscii(text: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (text.length !== end - start) return false;
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) !== bytes[start + k]) return false;
  return true;
}

function textCell(texts: Texts, bytes: Buffer, start: number, end: number, escapedQuotes: boolean): Cell {
  const number = canonicalNumber(bytes, start, end);
  if (!Number.isNaN(number)) return number;
  if (escapedQuotes) return bytes.toString('utf8', start, end).replaceAll('""', '"');
  return texts.of(bytes, start, end);
}

/**
 * The records after the header (from `start`) as columns, or undefined when the file is not
 * regular. Empty lines are skipped, as csv-parse's skip_empty_lines does.
 */
export function regularCsvColumns(bytes: Buffer, start: number, header: readonly string[]): Table | undefined {
  const width = header.length;
  const lists: Cell[][] = header.map(() => []);
  const length = bytes.length;
  const texts = new Texts();
  /** Whether lines end in CRLF, as the first line end says; undefined before it. */
  let crlfLines: boolean | undefined;
  let rows = 0;
  let i = start;
  while (i < length) {
    // One record per iteration.
    if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] === LF)) {
      const crlf = bytes[i] === CR;
      if ((crlfLines ??= crlf) !== crlf) return undefined; // mixed line ends
      i += crlf ? 2 : 1;
      continue; // an empty line
    }
    for (let field = 0; ; field++) {
      if (field >= width) return undefined;
      let cell: Cell;
      if (bytes[i] === QUOTE) {
        let j = i + 1;
        let escaped = false;
        for (;;) {
          j = bytes.indexOf(QUOTE, j);
          if (j < 0) return undefined; // a quote that never closes
          if (bytes[j + 1] !== QUOTE) break;
          escaped = true;
          j += 2;
        }
        cell = textCell(texts, bytes, i + 1, j, escaped);
        i = j + 1;
      } else {
        let j = i;
        while (j < length) {
          const b = bytes[j];
          if (b === COMMA || b === LF || b === CR) break;
          j++;
        }
        cell = textCell(texts, bytes, i, j, false);
        i = j;
      }
      lists[field].push(cell);
      if (i >= length) {
        if (field !== width - 1) return undefined;
        break;
      }
      const b = bytes[i];
      if (b === COMMA) {
        i++;
        continue;
      }
      if (field !== width - 1) return undefined;
      const crlf = b === CR;
      if (crlf && bytes[i + 1] !== LF) return undefined; // a lone CR, or text after a closing quote
      if (!crlf && b !== LF) return undefined;
      if ((crlfLines ??= crlf) !== crlf) return undefined; // mixed line ends
      i += crlf ? 2 : 1;
      break;
    }
    rows++;
  }
  return { columns: new Map(header.map((name, c) => [name, lists[c]])), rowCount: rows };
}
