// What the exporter says moved, ranked for the panel to highlight: a drifted feature's bins by
// their contribution to its statistic (mlmon_feature_drift_bin_contribution) and the drifted
// features by their part of the model's drift score (mlmon_feature_drift_score), the same
// rankings the alert descriptions quote.
import type { FeatureStatus } from '../types';
import type { Series } from './series';

export const CONTRIBUTION_METRIC = 'mlmon_feature_drift_bin_contribution';
/** `mlmon_feature_` + this: each feature's part of the model's drift score. */
export const SCORE_SUFFIX = 'drift_score';
/** As many features as the alerts name. */
export const TOP_FEATURES = 3;

export interface CauseLabels {
  modelLabel: string;
  featureLabel: string;
  windowLabel: string;
  binLabel: string;
}

/**
 * One feature's bin contributions at `now`, by bin. Only series sampled at `now` count: in a range
 * query a bin that has left the top, or a feature that no longer drifts, keeps its older samples.
 */
export function currentContributions(
  series: Series[],
  labels: CauseLabels,
  model: string | undefined,
  window: string | undefined,
  feature: string | undefined,
  now: number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of series) {
    if (s.metric !== CONTRIBUTION_METRIC || s.labels[labels.featureLabel] !== feature) continue;
    if (model !== undefined && s.labels[labels.modelLabel] !== model) continue;
    if (window !== undefined && s.labels[labels.windowLabel] !== window) continue;
    const last = s.times.length - 1;
    if (last < 0 || s.times[last] < now || !Number.isFinite(s.values[last])) continue;
    out.set(s.labels[labels.binLabel] ?? s.labels['range'] ?? '', s.values[last]);
  }
  return out;
}

/** Ranks 1, 2, … by descending value (equal values by key), for at most `limit` positive values. */
export function rankByValue(values: ReadonlyMap<string, number>, limit = Infinity): Map<string, number> {
  const ranked = [...values]
    .filter(([, v]) => Number.isFinite(v) && v > 0)
    .sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb))
    .slice(0, limit);
  return new Map(ranked.map(([key], i) => [key, i + 1]));
}

/** The drifted features with the largest drift scores, ranked (what MlmonModelDriftScore names). */
export function topFeatures(
  rows: ReadonlyArray<{ name: string; status: FeatureStatus | undefined; score: number }>,
  k = TOP_FEATURES,
): Map<string, number> {
  return rankByValue(new Map(rows.filter((r) => r.status === 'drift').map((r) => [r.name, r.score])), k);
}
