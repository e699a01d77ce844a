// Many records' values of one feature observed at once, for a columnar reader (the file source's
// Parquet path): a tight loop over one typed array per feature instead of a call per value. Each
// counter ends up as ModelWindows.observe would leave it value by value. Whole-number counters are
// added in any order (they add up the same); the floating-point sums are added value after value in
// row order, ring by ring, since each ring's sum cell sees only its own feature's values.
import type { BinLookup } from '../stats/bin-lookup.ts';
import { FINITE, MISSING, PRESENT, SUM, SUM_SQUARES, UNUSUAL, VIOLATIONS, type FeatureSlot } from './layout.ts';

/** What the column observers write to: a ModelWindows' pending counters and rings (see columnTarget). */
export interface ColumnTarget {
  /** The observed slots: the features, then the prediction. */
  readonly slots: readonly FeatureSlot[];
  /** Whole-number counters, pending until the windows flush them to the rings. */
  readonly pending: Float64Array;
  readonly pendingMinima: Float64Array;
  readonly pendingMaxima: Float64Array;
  /** Each ring's counters and the start of the current records' slot in them (-1: none). */
  readonly ringCounts: readonly Float64Array[];
  readonly ringBases: Int32Array;
  /** Bin observations since start, by observed slot. */
  readonly observedBins: readonly Float64Array[];
  /** Key `${feature}\t${reason}` → schema violations since start. */
  readonly violations: Map<string, number>;
  /** Numeric slots' PSI and fine bin tables (unused entries for categorical slots). */
  readonly bins: readonly BinLookup[];
  readonly fineBins: readonly BinLookup[];
}

/** A categorical value's code: bin × 2 + 1 when the reference knows the category, bin × 2 otherwise. */
export function categoryCode(bin: number, known: boolean): number {
  return bin * 2 + (known ? 1 : 0);
}
/** Codes that are no category: the value is missing, or no text (a schema violation). */
export const MISSING_CODE = -1;
export const VIOLATION_CODE = -2;

const psiTables = new WeakMap<Float64Array, Int32Array | null>();

/**
 * The PSI bin of each fine bin, when every PSI edge is also a fine edge (quantile edges are: the
 * deciles are among the percentiles): a value's PSI bin, the number of PSI edges ≤ it, is then the
 * number of PSI edges ≤ the lower edge of its fine bin, so one lookup finds both. Undefined otherwise.
 */
function psiBinsOfFineBins(edges: Float64Array, fineEdges: Float64Array): Int32Array | undefined {
  let table = psiTables.get(edges);
  if (table === undefined) {
    const fine = new Set(fineEdges);
    table = null;
    if (edges.every((edge) => fine.has(edge))) {
      table = new Int32Array(fineEdges.length + 1);
      for (let k = 1; k <= fineEdges.length; k++) {
        let below = 0;
        while (below < edges.length && edges[below] <= fineEdges[k - 1]) below++;
        table[k] = below;
      }
    }
    psiTables.set(edges, table);
  }
  return table ?? undefined;
}

/** Scratch space for the fine bins of a column, grown as needed. */
let fineScratch = new Int32Array(0);

/**
 * Observes `values[from … from + length)` for numeric slot `index` of records already started: NaN
 * is a missing value, anything else a number (infinities are present, out of range, and not summed).
 * `violations` of the NaN were values of the wrong type (missing too, and counted as violations).
 */
export function observeNumberColumn(
  target: ColumnTarget,
  index: number,
  values: Float64Array,
  length: number,
  violations = 0,
  from = 0,
): void {
  const slot = target.slots[index];
  if (slot.type !== 'numeric') throw new Error(`${slot.name} is no numeric feature`);
  const { offset, binsOffset, fineOffset, fineSumsOffset, fineCount, extremaIndex, centre } = slot;
  const { min, max } = slot.profile;
  const bins = target.bins[index];
  const fineBins = target.fineBins[index];
  const psiOfFine = psiBinsOfFineBins(slot.edges, slot.fineEdges);
  const observed = target.observedBins[index];
  const pending = target.pending;
  if (fineScratch.length < length) fineScratch = new Int32Array(Math.max(length, 2 * fineScratch.length));
  const fineOf = fineScratch;
  let missing = 0;
  let unusual = 0;
  let finite = 0;
  let lowest = Infinity;
  let highest = -Infinity;
  for (let r = 0; r < length; r++) {
    const value = values[from + r];
    if (value !== value) {
      missing++;
      fineOf[r] = -1;
      continue;
    }
    const fineBin = fineBins.index(value);
    const psiBin = psiOfFine === undefined ? bins.index(value) : psiOfFine[fineBin];
    pending[binsOffset + psiBin]++;
    pending[fineOffset + fineBin]++;
    observed[psiBin]++;
    if (value < min || value > max) unusual++;
    if (value - value !== 0) {
      // ±Infinity: counted in its bins, not summed.
      fineOf[r] = -1;
      continue;
    }
    finite++;
    fineOf[r] = fineBin;
    if (value < lowest) lowest = value;
    if (value > highest) highest = value;
  }
  pending[offset + PRESENT] += length - missing;
  pending[offset + MISSING] += missing;
  pending[offset + UNUSUAL] += unusual;
  pending[offset + FINITE] += finite;
  if (fineSumsOffset >= 0) pending[fineSumsOffset + fineCount] += finite;
  addViolations(target, slot, 'expected_number', violations);
  if (lowest < target.pendingMinima[extremaIndex]) target.pendingMinima[extremaIndex] = lowest;
  if (highest > target.pendingMaxima[extremaIndex]) target.pendingMaxima[extremaIndex] = highest;
  if (finite === 0) return;
  // Sums around the reference mean (the variance keeps its precision), in row order, ring by ring.
  for (let i = 0; i < target.ringCounts.length; i++) {
    const base = target.ringBases[i];
    if (base < 0) continue;
    const counts = target.ringCounts[i];
    let sum = counts[base + offset + SUM];
    let squares = counts[base + offset + SUM_SQUARES];
    const fineSums = fineSumsOffset >= 0 ? base + fineSumsOffset : -1;
    for (let r = 0; r < length; r++) {
      const fineBin = fineOf[r];
      if (fineBin < 0) continue;
      const centred = values[from + r] - centre;
      sum += centred;
      squares += centred * centred;
      if (fineSums >= 0) counts[fineSums + fineBin] += centred;
    }
    counts[base + offset + SUM] = sum;
    counts[base + offset + SUM_SQUARES] = squares;
  }
}

/**
 * Observes `codes[from … from + length)` for categorical slot `index` of records already started:
 * codes from categoryCode, MISSING_CODE or VIOLATION_CODE.
 */
export function observeCategoryColumn(
  target: ColumnTarget,
  index: number,
  codes: Int32Array,
  length: number,
  from = 0,
): void {
  const slot = target.slots[index];
  const { offset, binsOffset } = slot;
  const observed = target.observedBins[index];
  const pending = target.pending;
  let missing = 0;
  let violations = 0;
  let unusual = 0;
  for (let r = 0; r < length; r++) {
    const code = codes[from + r];
    if (code < 0) {
      if (code === MISSING_CODE) missing++;
      else violations++;
      continue;
    }
    const bin = code >> 1;
    pending[binsOffset + bin]++;
    observed[bin]++;
    if ((code & 1) === 0) unusual++;
  }
  pending[offset + PRESENT] += length - missing - violations;
  pending[offset + MISSING] += missing + violations;
  pending[offset + UNUSUAL] += unusual;
  addViolations(target, slot, 'expected_string', violations);
}

/** `count` missing values of slot `index` (a column the file does not have). */
export function observeMissing(target: ColumnTarget, index: number, count: number): void {
  target.pending[target.slots[index].offset + MISSING] += count;
}

/** `count` values of a slot of the wrong type, already counted as missing. */
function addViolations(target: ColumnTarget, slot: FeatureSlot, reason: string, count: number): void {
  if (count === 0) return;
  target.pending[slot.offset + VIOLATIONS] += count;
  const key = `${slot.name}\t${reason}`;
  target.violations.set(key, (target.violations.get(key) ?? 0) + count);
}
