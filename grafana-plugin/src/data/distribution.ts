import type { DriftOptions } from '../types';
import { currentContributions, rankByValue } from './cause';
import { effectiveSelection } from './model';
import { lastValue, type Series } from './series';

export const REFERENCE_METRIC = 'mlmon_feature_reference_bin_ratio';
export const CURRENT_METRIC = 'mlmon_feature_bin_ratio';

export interface Bin {
  bin: string;
  /** Bounds of a numeric bin (`[e1, e2)`) or the category. */
  range: string;
  reference: number;
  /** Latest share in the window (NaN when absent). */
  current: number;
  /** Its contribution to the drift statistic now, when it is one of a drifted feature's top bins (else NaN). */
  contribution: number;
  /** 1 for the bin that contributes most, 2, …; 0 when it is not among the exported top bins. */
  rank: number;
}

export interface DistributionModel {
  feature: string | undefined;
  features: string[];
  bins: Bin[];
  times: number[];
  /** shares[bin][time]: the window's share of each bin over time (NaN where absent). */
  shares: Float64Array[];
  missing: string[];
}

/** Numeric bins sort by index; categories by reference share, `__other__` last. */
function orderBins(bins: Bin[]): Bin[] {
  if (bins.every((b) => /^\d+$/.test(b.bin))) return bins.sort((a, b) => Number(a.bin) - Number(b.bin));
  return bins.sort((a, b) => {
    if (a.bin === '__other__' || b.bin === '__other__') return a.bin === '__other__' ? 1 : -1;
    const ra = Number.isFinite(a.reference) ? a.reference : -1;
    const rb = Number.isFinite(b.reference) ? b.reference : -1;
    return rb - ra || a.bin.localeCompare(b.bin);
  });
}

export function buildDistributionModel(
  series: Series[],
  options: DriftOptions,
  model: string | undefined,
  window: string | undefined,
  feature: string | undefined,
): DistributionModel {
  const { modelLabel, featureLabel, windowLabel, binLabel } = options;
  const mine = series.filter(
    (s) =>
      (s.metric === REFERENCE_METRIC || s.metric === CURRENT_METRIC) &&
      (model === undefined || s.labels[modelLabel] === model) &&
      (s.metric === REFERENCE_METRIC || window === undefined || s.labels[windowLabel] === window),
  );
  const features = [...new Set(mine.map((s) => s.labels[featureLabel]).filter((f) => f !== undefined))].sort();
  const chosen = effectiveSelection(feature) ?? features[0];
  const ofFeature = mine.filter((s) => s.labels[featureLabel] === chosen);
  const bins = new Map<string, Bin>();
  const bin = (s: Series): Bin => {
    const key = s.labels[binLabel] ?? s.labels['range'] ?? '';
    let b = bins.get(key);
    if (!b) {
      b = { bin: key, range: s.labels['range'] ?? key, reference: NaN, current: NaN, contribution: NaN, rank: 0 };
      bins.set(key, b);
    }
    return b;
  };
  const current = ofFeature.filter((s) => s.metric === CURRENT_METRIC);
  for (const s of ofFeature) {
    if (s.metric === REFERENCE_METRIC) bin(s).reference = lastValue(s);
    else bin(s).current = lastValue(s);
  }
  const ordered = orderBins([...bins.values()]);
  const times = [...new Set(current.flatMap((s) => s.times))].sort((a, b) => a - b);
  const contributions = currentContributions(series, options, model, window, chosen, times[times.length - 1] ?? 0);
  const ranks = rankByValue(contributions);
  for (const b of ordered) {
    b.contribution = contributions.get(b.bin) ?? NaN;
    b.rank = ranks.get(b.bin) ?? 0;
  }
  const index = new Map(times.map((t, i) => [t, i]));
  const shares = ordered.map((b) => {
    const row = new Float64Array(times.length).fill(NaN);
    const s = current.find((c) => (c.labels[binLabel] ?? c.labels['range']) === b.bin);
    if (s) s.times.forEach((t, i) => (row[index.get(t)!] = s.values[i]));
    return row;
  });
  const missing: string[] = [];
  if (!mine.some((s) => s.metric === REFERENCE_METRIC)) missing.push(REFERENCE_METRIC);
  if (!mine.some((s) => s.metric === CURRENT_METRIC)) missing.push(CURRENT_METRIC);
  return { feature: chosen, features, bins: ordered, times, shares, missing };
}
