// Per-feature status words (the same in metrics, CLI and panel) and the drift decision.

export type FeatureStatus = 'stable' | 'investigate' | 'drift' | 'insufficient_data';
export type DriftStatistic = 'psi' | 'jensen_shannon' | 'wasserstein_normalized' | 'ks_pvalue';

export interface StatusOptions {
  statistic: DriftStatistic;
  threshold: number;
  minSamples: number;
}

/** PSI's conventional upper limit of "stable". */
const PSI_STABLE = 0.1;

/**
 * Fewer than minSamples current values, or no statistic (NaN/undefined), is insufficient_data: a
 * missing number must never read as stable. Otherwise drift past the threshold (for ks_pvalue:
 * below it). Investigate: PSI in (0.1, threshold]; JS and normalised Wasserstein above half the
 * threshold; KS p-value below twice the threshold (e.g. p < 0.1 for 0.05, "marginal").
 */
export function featureStatus(value: number | undefined, n: number, opts: StatusOptions): FeatureStatus {
  if (!(n >= opts.minSamples) || value === undefined || Number.isNaN(value)) {
    return 'insufficient_data';
  }
  const { statistic, threshold } = opts;
  if (statistic === 'ks_pvalue') {
    if (value < threshold) return 'drift';
    return value < 2 * threshold ? 'investigate' : 'stable';
  }
  if (value > threshold) return 'drift';
  const investigateAbove = statistic === 'psi' ? PSI_STABLE : threshold / 2;
  return value > investigateAbove ? 'investigate' : 'stable';
}
