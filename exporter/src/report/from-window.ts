// Reads one feature's counters out of a window's totals.
import {
  FINITE,
  MISSING,
  PRESENT,
  SUM,
  SUM_SQUARES,
  UNUSUAL,
  VIOLATIONS,
  type FeatureSlot,
  type NumericSlot,
} from '../window/layout.ts';
import type { WindowTotals } from '../window/model-windows.ts';
import type { FeatureCurrent } from './current.ts';

/** The window's fine-bin sums, when every finite value in it was summed (a source may not sum). */
function fineSums(slot: NumericSlot, c: Float64Array): Float64Array | undefined {
  if (slot.fineSumsOffset < 0 || c[slot.fineSumsOffset + slot.fineCount] !== c[slot.offset + FINITE]) return undefined;
  const sums = new Float64Array(slot.fineCount);
  const fine = slot.fineOffset;
  for (let b = 0; b < slot.fineCount; b++) sums[b] = c[slot.fineSumsOffset + b] + slot.centre * c[fine + b];
  return sums;
}

export function currentFromWindow(slot: FeatureSlot, totals: WindowTotals): FeatureCurrent {
  const c = totals.counts;
  const bins = c.subarray(slot.binsOffset, slot.binsOffset + slot.binCount);
  if (slot.type === 'categorical') {
    return {
      type: 'categorical',
      present: c[slot.offset + PRESENT],
      missing: c[slot.offset + MISSING],
      violations: c[slot.offset + VIOLATIONS],
      newCategories: c[slot.offset + UNUSUAL],
      bins,
    };
  }
  return {
    type: 'numeric',
    present: c[slot.offset + PRESENT],
    missing: c[slot.offset + MISSING],
    violations: c[slot.offset + VIOLATIONS],
    outOfRange: c[slot.offset + UNUSUAL],
    finite: c[slot.offset + FINITE],
    centredSum: c[slot.offset + SUM],
    centredSumSquares: c[slot.offset + SUM_SQUARES],
    min: totals.minima[slot.extremaIndex],
    max: totals.maxima[slot.extremaIndex],
    bins,
    fine: c.subarray(slot.fineOffset, slot.fineOffset + slot.fineCount),
    fineSums: fineSums(slot, c),
  };
}
