// Each reference row's bin for one feature, at the profile's edges (or its top categories): what
// seasonal profiles and the latent variation's estimate count, per hour and per chunk of time.
import { asText } from '../io/cell.ts';
import { numericColumn } from '../io/numeric-column.ts';
import type { Cell } from '../io/read-table.ts';
import { binIndex } from '../stats/index.ts';
import type { FeatureProfile } from '../profile/types.ts';

export interface RowBins {
  /** PSI bin per row; -1 where the value is missing (or not of the feature's type). */
  bins: Int32Array;
  /** Numeric: fine bin per row (-1 where missing) and the value, for the fine sums. */
  fine?: Int32Array;
  values?: Float64Array;
}

export function rowBins(profile: FeatureProfile, cells: readonly Cell[]): RowBins {
  const bins = new Int32Array(cells.length).fill(-1);
  if (profile.type === 'categorical') {
    const index = new Map(profile.top.map((category, i) => [category, i]));
    const other = profile.top.length;
    for (let i = 0; i < cells.length; i++) {
      const text = asText(cells[i]);
      if (text !== null) bins[i] = index.get(text) ?? other;
    }
    return { bins };
  }
  const { values } = numericColumn(cells);
  const fine = new Int32Array(cells.length).fill(-1);
  const edges = Float64Array.from(profile.edges);
  const fineEdges = Float64Array.from(profile.fine_edges);
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    bins[i] = binIndex(values[i], edges);
    fine[i] = binIndex(values[i], fineEdges);
  }
  return { bins, fine, values };
}
