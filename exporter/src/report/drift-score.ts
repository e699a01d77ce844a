// The model-level drift score and its split over features. Each feature's decision statistic is
// put on one scale, its distance past the threshold in force (1 at the threshold), and the model
// score is the importance-weighted mean of these: each feature's weighted part is its
// `feature score`, so the ranking of features adds up to the model score exactly, as the bin
// contributions add up to a feature's statistic. A mean rather than a max: it grows with the number
// and the importance of the features that moved, which the max and `drifted_features_ratio` miss.
import type { DriftStatistic } from '../stats/index.ts';

/** p-values below this count as this (an underflow to 0 would make the score infinite). */
const P_FLOOR = 1e-300;

/**
 * The statistic over its threshold: 1 at the threshold, 2 twice as far. For a p-value (lower is
 * worse) the ratio of the logarithms: p = threshold² scores 2, p = 1 scores 0.
 */
export function normalizedDrift(statistic: DriftStatistic, value: number, threshold: number): number {
  if (statistic !== 'ks_pvalue') return value / threshold;
  if (!(threshold < 1)) return NaN;
  return Math.log(Math.max(value, P_FLOOR)) / Math.log(threshold);
}

export interface JudgedFeature {
  feature: string;
  /** The decision statistic's value (the feature has enough data). */
  value: number;
  threshold: number;
  /** `features[].importance`, 1 when not configured. */
  importance: number;
}

export interface DriftScores {
  model: number;
  /** Per feature: its importance share times its normalised drift; they sum to `model`. */
  features: { feature: string; score: number }[];
}

/** Undefined when no feature with enough data has a positive importance (no mean to take). */
export function driftScores(statistic: DriftStatistic, judged: readonly JudgedFeature[]): DriftScores | undefined {
  const scored = judged
    .map((j) => ({ ...j, drift: normalizedDrift(statistic, j.value, j.threshold) }))
    .filter((j) => Number.isFinite(j.drift));
  const weight = scored.reduce((sum, j) => sum + j.importance, 0);
  if (!(weight > 0)) return undefined;
  const features = scored.map((j) => ({ feature: j.feature, score: (j.importance / weight) * j.drift }));
  return { model: features.reduce((sum, f) => sum + f.score, 0), features };
}
