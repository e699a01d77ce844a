// The reference rows' times, from the column `reference.timestamp` names: RFC 3339 text or Unix
// epoch milliseconds, as records take them. A row without a valid time is an error naming it:
// the seasonal profile would otherwise be silently wrong.
import type { Table } from '../io/read-table.ts';
import { parseTimestamp } from '../records/validate-record.ts';

const EPOCH_MS = /^\d+(\.\d+)?$/;

export function rowTimestamps(table: Table, column: string): Float64Array {
  const cells = table.columns.get(column);
  if (!cells) throw new Error(`reference.timestamp: the reference has no column "${column}"`);
  const out = new Float64Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    const cell = cells[i];
    const ms = typeof cell === 'string' && EPOCH_MS.test(cell) ? Number(cell) : parseTimestamp(cell);
    if (ms === undefined || !Number.isFinite(ms)) {
      throw new Error(
        `reference.timestamp: row ${i + 1}, column "${column}": ${JSON.stringify(cell ?? null)} is neither RFC 3339 nor epoch milliseconds`,
      );
    }
    out[i] = ms;
  }
  return out;
}
