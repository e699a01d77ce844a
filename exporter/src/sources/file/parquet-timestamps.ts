// A batch of Parquet rows' `timestamp` values as epoch milliseconds in a Float64Array, for the column
// path: what the row path makes of each (ColumnCursor.at, then validateRecord's parseTimestamp),
// with two codes for the rows it does not place at a time of their own. Typed columns (INT64,
// DOUBLE, timestamps decoded as numbers by EPOCH_MS_PARSERS) cost a comparison a value.
import { parseTimestamp } from '../../records/validate-record.ts';
import type { ColumnCursor } from './file-parquet.ts';
import { readInt64 } from './parquet-feature-columns.ts';

/** No timestamp (null, absent or ""): the record is placed at the time it is read. */
export const NO_TIMESTAMP = -1;
/** A timestamp validateRecord refuses (invalid_timestamp): negative, not finite, no RFC 3339 text, another type. */
export const INVALID_TIMESTAMP = -2;

/** Fills `out[0 … stop − start)` with the times of rows `start` to `stop` (rows no chunk holds: NO_TIMESTAMP). */
export function readTimestamps(column: ColumnCursor, start: number, stop: number, out: Float64Array): void {
  out.fill(NO_TIMESTAMP, 0, stop - start);
  column.forEachSpan(start, stop, (data, from, rowStart, rowEnd) => {
    const at = rowStart - start;
    const count = rowEnd - rowStart;
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      readInt64(data, from, out, at, count);
      for (let k = at; k < at + count; k++) out[k] = validMs(out[k]);
    } else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
      const numbers = data as unknown as Float64Array;
      for (let k = 0; k < count; k++) out[at + k] = validMs(numbers[from + k]);
    } else {
      for (let k = 0; k < count; k++) out[at + k] = timeOf(data[from + k]);
    }
  });
}

/** A number as parseTimestamp takes it: epoch milliseconds, finite and not negative. */
function validMs(ms: number): number {
  return ms >= 0 && ms - ms === 0 ? ms : INVALID_TIMESTAMP;
}

function timeOf(value: unknown): number {
  if (typeof value === 'number') return validMs(value);
  if (value === null || value === undefined || value === '') return NO_TIMESTAMP;
  if (typeof value === 'bigint') return validMs(Number(value));
  if (value instanceof Date) return validMs(value.getTime());
  return parseTimestamp(value) ?? INVALID_TIMESTAMP;
}
