// A batch of Parquet rows' feature values as one typed array per feature, for the column observers
// (window/observe-column.ts): numbers in a Float64Array (NaN: missing), categories as codes in an
// Int32Array. Each value means what the row path makes of it (ColumnCursor.at, then asNumber or
// asText, then observe): the same missing values, violations, and rows refused for a value over
// max_value_bytes. The common cases cost little: typed arrays are copied, INT64 is converted without
// a BigInt per value, and a category's code is found once per distinct text (then from a Map).
import { asNumber, asText } from '../../io/cell.ts';
import type { Cell } from '../../io/read-table.ts';
import type { FeatureSlot } from '../../window/layout.ts';
import { categoryCode, MISSING_CODE, VIOLATION_CODE } from '../../window/observe-column.ts';
import { exceedsBytes } from '../../server/limits.ts';
import type { ColumnCursor } from './file-parquet.ts';

/** A text over max_value_bytes: its row is refused. */
const REFUSED_CODE = -3;
/**
 * Distinct texts (and numbers) whose code a categorical column remembers while a file is read;
 * others are looked up each time. Texts within max_value_bytes only (1 KiB by default, refused
 * texts are not kept): at most 4,096 × 2 KiB = 8 MiB per categorical feature.
 */
const MAX_REMEMBERED = 4096;
/** 2^32: the weight of an INT64's high word. */
const HIGH_WORD = 4294967296;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One feature's values for the rows of a batch. */
export type FeatureValues =
  | {
      kind: 'numeric';
      values: Float64Array;
      violations: number;
      /** 1 for each row whose NaN was a value of the wrong type; undefined when there are none. */
      violationFlags?: Uint8Array;
    }
  | { kind: 'categorical'; codes: Int32Array }
  | { kind: 'absent' };

export class FeatureColumnReader {
  private numbers: Float64Array[] = [];
  private codes: Int32Array[] = [];
  private refused = new Uint8Array(0);
  /** Per numeric slot: 1 for the batch rows whose value was of the wrong type, and how many. */
  private violationFlags: Uint8Array[] = [];
  private readonly violationCounts: number[];
  /** Per categorical slot: codes by text and by number, found once. */
  private readonly textCodes: Map<string, number>[];
  private readonly numberCodes: Map<number, number>[];

  constructor(
    private readonly slots: readonly FeatureSlot[],
    private readonly maxValueBytes: number,
  ) {
    this.violationCounts = slots.map(() => 0);
    this.textCodes = slots.map(() => new Map());
    this.numberCodes = slots.map(() => new Map());
  }

  /**
   * Reads rows `start` to `stop` of each slot's column (undefined: the file has none). Returns how
   * many rows were refused for a value over max_value_bytes, and each slot's values of the others,
   * in row order: `accepted` of them. `alongside` (one value per row, from 0) loses the same rows.
   */
  read(
    columns: readonly (ColumnCursor | undefined)[],
    start: number,
    stop: number,
    alongside?: Float64Array,
  ): { refused: number; accepted: number; features: FeatureValues[] } {
    const length = stop - start;
    if (this.refused.length < length) {
      this.refused = new Uint8Array(length);
      this.numbers = this.slots.map(() => new Float64Array(length));
      this.codes = this.slots.map(() => new Int32Array(length));
      this.violationFlags = this.slots.map(() => new Uint8Array(length));
    }
    this.refused.fill(0, 0, length);
    let anyRefused = false;
    for (let i = 0; i < this.slots.length; i++) {
      const column = columns[i];
      if (column === undefined) continue;
      if (this.slots[i].type === 'numeric') {
        if (this.violationCounts[i] > 0) this.violationFlags[i].fill(0);
        this.violationCounts[i] = 0;
        // Rows no chunk holds read as missing, as `at` gives them.
        this.numbers[i].fill(NaN, 0, length);
        column.forEachSpan(start, stop, (data, from, rowStart, rowEnd) => {
          if (this.readNumbers(i, data, from, rowStart - start, rowEnd - rowStart)) anyRefused = true;
        });
      } else {
        this.codes[i].fill(MISSING_CODE, 0, length);
        column.forEachSpan(start, stop, (data, from, rowStart, rowEnd) => {
          if (this.readCodes(i, data, from, rowStart - start, rowEnd - rowStart)) anyRefused = true;
        });
      }
    }
    let accepted = length;
    if (anyRefused) accepted = this.dropRefused(length, alongside);
    const features = this.slots.map((slot, i): FeatureValues => {
      if (columns[i] === undefined) return { kind: 'absent' };
      if (slot.type === 'categorical') return { kind: 'categorical', codes: this.codes[i] };
      if (this.violationCounts[i] === 0) return { kind: 'numeric', values: this.numbers[i], violations: 0 };
      const flags = this.violationFlags[i];
      let violations = 0;
      for (let row = 0; row < accepted; row++) violations += flags[row];
      return { kind: 'numeric', values: this.numbers[i], violations, violationFlags: flags };
    });
    return { refused: length - accepted, accepted, features };
  }

  /** Numbers of `count` rows from data[from], at `at` in the slot's array; true when a row is refused. */
  private readNumbers(slot: number, data: ArrayLike<unknown>, from: number, at: number, count: number): boolean {
    const out = this.numbers[slot];
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      readInt64(data, from, out, at, count);
      return false;
    }
    if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
      out.set((data as unknown as Float64Array).subarray(from, from + count), at);
      return false;
    }
    let refused = false;
    for (let k = 0; k < count; k++) {
      const value = data[from + k];
      if (typeof value === 'number') {
        out[at + k] = value; // NaN: missing
      } else {
        const number = this.numberOf(slot, value, at + k);
        if (number === undefined) refused = true;
        else out[at + k] = number;
      }
    }
    return refused;
  }

  /** A value other than a JavaScript number as a number (NaN: missing or a violation); undefined: refused. */
  private numberOf(slot: number, value: unknown, row: number): number | undefined {
    if (typeof value === 'bigint') return Number(value);
    if (value instanceof Date) return value.getTime();
    if (value === undefined || value === null || value === '') return NaN;
    if (typeof value === 'string' || typeof value === 'boolean') {
      const cell = asNumber(value);
      if (typeof cell === 'number') return cell;
      if (cell === null) return NaN;
      if (typeof cell === 'string' && exceedsBytes(cell, this.maxValueBytes)) {
        this.refused[row] = 1;
        return undefined;
      }
    }
    this.violationFlags[slot][row] = 1;
    this.violationCounts[slot]++;
    return NaN;
  }

  /** Category codes of `count` rows from data[from], at `at` in the slot's array; true when a row is refused. */
  private readCodes(slot: number, data: ArrayLike<unknown>, from: number, at: number, count: number): boolean {
    const out = this.codes[slot];
    const texts = this.textCodes[slot];
    let refused = false;
    // A dictionary-encoded column repeats the same text objects: runs cost one comparison a value.
    let last: unknown = undefined;
    let lastCode = MISSING_CODE;
    for (let k = 0; k < count; k++) {
      const value = data[from + k];
      let code: number;
      if (value === last) code = lastCode;
      else {
        code =
          typeof value === 'string' ? (texts.get(value) ?? this.codeOfText(slot, value)) : this.codeOf(slot, value);
        last = value;
        lastCode = code;
      }
      if (code === REFUSED_CODE) {
        this.refused[at + k] = 1;
        refused = true;
      }
      out[at + k] = code;
    }
    return refused;
  }

  /** The code of a value other than a string, as `at` and asText read it. */
  private codeOf(slot: number, value: unknown): number {
    if (typeof value === 'bigint') value = Number(value);
    else if (value instanceof Date) value = value.getTime();
    if (value === undefined || value === null) return MISSING_CODE;
    if (typeof value === 'number') {
      const numbers = this.numberCodes[slot];
      let code = numbers.get(value);
      if (code === undefined) {
        code = this.textCode(slot, asText(value));
        if (numbers.size < MAX_REMEMBERED) numbers.set(value, code);
      }
      return code;
    }
    if (typeof value === 'boolean') return this.textCode(slot, asText(value));
    return VIOLATION_CODE;
  }

  /** A string's code, remembered. */
  private codeOfText(slot: number, value: string): number {
    const code = this.textCode(slot, value === '' ? null : asText(value as Cell));
    const texts = this.textCodes[slot];
    if (code !== REFUSED_CODE && texts.size < MAX_REMEMBERED) texts.set(value, code);
    return code;
  }

  /** The code of a category's text (null: missing). */
  private textCode(slot: number, text: string | null): number {
    if (text === null) return MISSING_CODE;
    if (exceedsBytes(text, this.maxValueBytes)) return REFUSED_CODE;
    const category = this.slots[slot];
    if (category.type !== 'categorical') throw new Error(`${category.name} is no categorical feature`);
    return categoryCode(category.binOf(text), category.isKnown(text));
  }

  /** Moves the values of rows not refused to the front of every array; returns how many. */
  private dropRefused(length: number, alongside: Float64Array | undefined): number {
    let kept = 0;
    for (let row = 0; row < length; row++) {
      if (this.refused[row] !== 0) continue;
      if (kept !== row) {
        for (let i = 0; i < this.slots.length; i++) {
          this.numbers[i][kept] = this.numbers[i][row];
          this.codes[i][kept] = this.codes[i][row];
          this.violationFlags[i][kept] = this.violationFlags[i][row];
        }
        if (alongside) alongside[kept] = alongside[row];
      }
      kept++;
    }
    return kept;
  }
}

/**
 * INT64 values as numbers, without a BigInt each: high word × 2^32 + low word is one rounding of the
 * exact value, the nearest double (ties to even), which is what Number(bigint) gives.
 */
export function readInt64(
  data: BigInt64Array | BigUint64Array,
  from: number,
  out: Float64Array,
  at: number,
  count: number,
): void {
  if (!LITTLE_ENDIAN) {
    for (let k = 0; k < count; k++) out[at + k] = Number(data[from + k]);
    return;
  }
  const low = new Uint32Array(data.buffer, data.byteOffset + from * 8, count * 2);
  if (data instanceof BigUint64Array) {
    for (let k = 0; k < count; k++) out[at + k] = low[2 * k + 1] * HIGH_WORD + low[2 * k];
    return;
  }
  const high = new Int32Array(data.buffer, data.byteOffset + from * 8, count * 2);
  for (let k = 0; k < count; k++) out[at + k] = high[2 * k + 1] * HIGH_WORD + low[2 * k];
}
