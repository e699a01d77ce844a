// The current side of a comparison from a column of raw values (the CLI's current file).
// Cells are read as the reference profile's type says (io/cell.ts): the type decided from the
// reference holds for the current data, and a cell that does not fit is a counted violation.
import { asText } from '../io/cell.ts';
import { numericColumn, sortedPresentValues } from '../io/numeric-column.ts';
import { binIndex } from '../stats/index.ts';
import type { Cell } from '../io/read-table.ts';
import { categoryBinLookup, isOutOfRange, knownCategoryLookup } from '../profile/classify.ts';
import type { CategoricalProfile, FeatureProfile, NumericProfile } from '../profile/types.ts';
import type { CategoricalCurrent, FeatureCurrent, NumericCurrent } from './current.ts';

export function currentFromValues(profile: FeatureProfile, values: readonly Cell[]): FeatureCurrent {
  return profile.type === 'numeric' ? numericCurrent(profile, values) : categoricalCurrent(profile, values);
}

function numericCurrent(profile: NumericProfile, values: readonly Cell[]): NumericCurrent {
  const current: NumericCurrent = {
    type: 'numeric',
    present: 0,
    missing: 0,
    violations: 0,
    outOfRange: 0,
    finite: 0,
    centredSum: 0,
    centredSumSquares: 0,
    min: Infinity,
    max: -Infinity,
    bins: new Float64Array(profile.edges.length + 1),
    fine: new Float64Array(profile.fine_edges.length + 1),
    fineSums: new Float64Array(profile.fine_edges.length + 1),
  };
  const bins = current.bins as Float64Array;
  const fine = current.fine as Float64Array;
  const fineSums = current.fineSums as Float64Array;
  const centre = Number.isFinite(profile.mean) ? profile.mean : 0;
  const column = numericColumn(values);
  current.violations = column.violations;
  current.missing = values.length - column.present;
  const edges = Float64Array.from(profile.edges);
  const fineEdges = Float64Array.from(profile.fine_edges);
  for (const value of column.values) {
    if (!Number.isNaN(value)) {
      current.present++;
      const bin = binIndex(value, edges);
      const fineBin = binIndex(value, fineEdges);
      bins[bin]++;
      fine[fineBin]++;
      if (isOutOfRange(value, profile)) current.outOfRange++;
      if (Number.isFinite(value)) {
        fineSums[fineBin] += value;
        const centred = value - centre;
        current.finite++;
        current.centredSum += centred;
        current.centredSumSquares += centred * centred;
        if (value < current.min) current.min = value;
        if (value > current.max) current.max = value;
      }
    }
  }
  return current;
}

function categoricalCurrent(profile: CategoricalProfile, values: readonly Cell[]): CategoricalCurrent {
  const binOf = categoryBinLookup(profile);
  const isKnown = knownCategoryLookup(profile);
  const bins = new Float64Array(profile.top.length + 1);
  const current: CategoricalCurrent = {
    type: 'categorical',
    present: 0,
    missing: 0,
    violations: 0,
    newCategories: 0,
    bins,
  };
  for (const cell of values) {
    const value = asText(cell);
    if (value === null) current.missing++;
    else {
      current.present++;
      bins[binOf(value)]++;
      if (!isKnown(value)) current.newCategories++;
    }
  }
  return current;
}

/** The present numeric values of a column, ascending, for exact KS and Wasserstein. */
export function numericSamples(values: readonly Cell[]): Float64Array {
  return sortedPresentValues(numericColumn(values));
}
