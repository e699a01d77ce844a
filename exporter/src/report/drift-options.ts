import type { DriftStatistic } from '../stats/index.ts';

export interface DriftOptions {
  statistic: DriftStatistic;
  threshold: number;
  minSamples: number;
}

/** Conventional thresholds: PSI 0.2, JS 0.1, normalised Wasserstein 0.1, KS p 0.05. */
export const DEFAULT_THRESHOLDS: Record<DriftStatistic, number> = {
  psi: 0.2,
  jensen_shannon: 0.1,
  wasserstein_normalized: 0.1,
  ks_pvalue: 0.05,
};

export function driftOptions(statistic: DriftStatistic = 'psi', threshold?: number, minSamples = 1000): DriftOptions {
  return { statistic, threshold: threshold ?? DEFAULT_THRESHOLDS[statistic], minSamples };
}
