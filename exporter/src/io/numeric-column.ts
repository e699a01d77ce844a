// A column read as numbers once (type inference, the profile, the current counts and the exact
// samples all need it): a Float64Array with NaN where a cell is missing or no number.
import { sortInPlace } from '../stats/sorted.ts';
import { asNumber } from './cell.ts';
import type { Cell } from './read-table.ts';

export interface NumericColumn {
  /** NaN marks a missing cell or a violation; present NaN never occurs (NaN is missing). */
  values: Float64Array;
  present: number;
  /** Cells that are neither missing nor numbers. */
  violations: number;
}

const cache = new WeakMap<readonly Cell[], NumericColumn>();

export function numericColumn(cells: readonly Cell[]): NumericColumn {
  let column = cache.get(cells);
  if (column) return column;
  const values = new Float64Array(cells.length);
  let present = 0;
  let violations = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    // Plain numbers (JSON, Parquet) skip the text rules.
    const value = typeof cell === 'number' ? cell : asNumber(cell);
    if (typeof value === 'number' && !Number.isNaN(value)) {
      values[i] = value;
      present++;
    } else {
      values[i] = NaN;
      if (value !== null && !(typeof value === 'number')) violations++;
    }
  }
  column = { values, present, violations };
  cache.set(cells, column);
  return column;
}

/** The present values, in row order. */
export function presentValues(column: NumericColumn): Float64Array {
  const out = new Float64Array(column.present);
  let j = 0;
  for (const value of column.values) if (!Number.isNaN(value)) out[j++] = value;
  return out;
}

const sortedCache = new WeakMap<NumericColumn, Float64Array>();

/**
 * The present values ascending, sorted once per column: the reference's profile (quantile edges)
 * and its exact KS and Wasserstein read the same array. Callers must not modify it.
 */
export function sortedPresentValues(column: NumericColumn): Float64Array {
  let sorted = sortedCache.get(column);
  if (!sorted) {
    sorted = sortInPlace(presentValues(column));
    sortedCache.set(column, sorted);
  }
  return sorted;
}
