// The cells of a feature for the postgres source: the value ranges in which the PSI bin, the fine
// bin and the unusual flag are all constant, so a value is counted by one key (numericCell, the
// key `width_bucket` would give; a category's `array_position`, computed by the database) and
// the key is mapped back to the bins per slice, not per row.
//
// Numeric: the thresholds are the PSI edges, the fine edges, the reference min and the float after
// its max (x > max ⟺ x ≥ next(max)), plus three sentinels: −MAX_VALUE (only −Infinity lies below
// it: cell 0), +Infinity (its own cell) and NaN (PostgreSQL orders NaN above +Infinity: the last
// cell, missing). `width_bucket(x, thresholds)` counts the thresholds ≤ x, as `binIndex` does, so
// any value of a cell — its lower threshold stands for it — has the cell's bins.
// Categorical: the profile's top categories, then its other known categories, then NULL, searched
// by `array_position` (1-based; not found: NULL, a new category).
import { binIndex } from '../../stats/index.ts';
import type { FeatureSlot } from '../../window/layout.ts';

export interface Cells {
  /** Numeric: the thresholds given to `width_bucket`. */
  thresholds: Float64Array;
  /** Categorical: the list given to `array_position`. */
  categories: (string | null)[];
  /** Per cell: PSI bin (-1: missing), fine bin (-1: none), unusual, finite (numeric). */
  bin: Int32Array;
  fine: Int32Array;
  unusual: Uint8Array;
  finite: Uint8Array;
  /** The cell of a NULL key: a NULL number (missing), or a category not in the list (new). */
  nullCell: number;
}

/** The float just above `x` (finite x). */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] += x > 0 ? 1n : -1n;
  return new Float64Array(bits.buffer)[0];
}

export function cellsOf(slot: FeatureSlot): Cells {
  if (slot.type === 'numeric') {
    const { min, max } = slot.profile;
    const ranged = !Number.isNaN(min) && !Number.isNaN(max);
    const bounds = ranged ? [min, Number.isFinite(max) ? nextUp(max) : max] : [];
    const finite = [...slot.edges, ...slot.fineEdges, ...bounds, -Number.MAX_VALUE].filter(Number.isFinite);
    const thresholds = Float64Array.from(new Set(finite)).sort();
    const all = Float64Array.from([...thresholds, Infinity, NaN]);
    const count = all.length + 1;
    const cells: Cells = {
      thresholds: all,
      categories: [],
      bin: new Int32Array(count),
      fine: new Int32Array(count),
      unusual: new Uint8Array(count),
      finite: new Uint8Array(count),
      nullCell: count - 1,
    };
    for (let cell = 0; cell < count; cell++) {
      const value = cell === 0 ? -Infinity : all[cell - 1];
      if (Number.isNaN(value)) {
        cells.bin[cell] = cells.fine[cell] = -1;
        continue;
      }
      cells.bin[cell] = binIndex(value, slot.edges);
      cells.fine[cell] = binIndex(value, slot.fineEdges);
      cells.unusual[cell] = ranged && (value < min || value > max) ? 1 : 0;
      cells.finite[cell] = Number.isFinite(value) ? 1 : 0;
    }
    return cells;
  }
  const top = slot.profile.top;
  const inTop = new Set(top);
  const rest = slot.profile.categories.map(([category]) => category).filter((category) => !inTop.has(category));
  const categories = [...top, ...rest, null];
  const count = categories.length + 2; // 1-based, and the not-found cell after the last
  const cells: Cells = {
    thresholds: new Float64Array(),
    categories,
    bin: new Int32Array(count).fill(top.length),
    fine: new Int32Array(count).fill(-1),
    unusual: new Uint8Array(count),
    finite: new Uint8Array(count),
    nullCell: count - 1,
  };
  for (let cell = 1; cell <= top.length; cell++) cells.bin[cell] = cell - 1;
  cells.bin[categories.length] = -1; // NULL: missing
  cells.unusual[count - 1] = 1;
  return cells;
}

/**
 * The cell of a numeric value, as `width_bucket(x, thresholds)` gives it: how many thresholds are
 * ≤ x (NaN, ordered above +Infinity by PostgreSQL, is the last cell with NULL).
 */
export function numericCell(cells: Cells, x: number): number {
  if (x !== x) return cells.nullCell;
  const thresholds = cells.thresholds;
  // The NaN sentinel (last) is above every number: search the others.
  let lo = 0;
  let hi = thresholds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
