// Compares one feature's current counts with its reference profile: every statistic, the status.
import {
  chi2Homogeneity,
  featureStatus,
  jensenShannonDistance,
  ksFromBins,
  ksTwoSample,
  meanShift,
  missingRatio,
  newCategoryRatio,
  normalizedWasserstein,
  outOfRangeRatio,
  psi,
  stdRatio,
  wasserstein,
  wassersteinFromBins,
  wassersteinFromBinSums,
  type FeatureStatus,
} from '../stats/index.ts';
import { ksAsymptoticPValue } from '../stats/kolmogorov-limit.ts';
import { finitePart } from '../stats/sorted.ts';
import type { CategoricalProfile, NumericProfile } from '../profile/types.ts';
import type { CategoricalCurrent, ExactSamples, NumericCurrent } from './current.ts';
import type { DriftOptions } from './drift-options.ts';

/** The CLI's --json shape per feature; a key that does not apply or cannot be computed is absent. */
export interface FeatureReport {
  type: 'numeric' | 'categorical';
  status: FeatureStatus;
  drifted: boolean;
  n_reference: number;
  n_current: number;
  psi?: number;
  ks_statistic?: number;
  ks_pvalue?: number;
  /** Binned KS only: the true statistic lies in [ks_statistic, ks_statistic + this]. */
  ks_error_bound?: number;
  wasserstein?: number;
  wasserstein_normalized?: number;
  /** Wasserstein from bins only: the raw-sample distance lies in [wasserstein, wasserstein + this]. */
  wasserstein_error_bound?: number;
  jensen_shannon?: number;
  chi2_statistic?: number;
  chi2_pvalue?: number;
  new_category_ratio?: number;
  missing_ratio?: number;
  /** Current cells that do not fit the reference's type (text in a numeric feature), counted as missing. */
  type_violations?: number;
  out_of_range_ratio?: number;
  mean_shift?: number;
  std_ratio?: number;
}

/**
 * How the p-value of the fine-CDF KS statistic is computed: `finite` as scipy's ks_2samp would for
 * that D and those sizes (milliseconds per feature), `limit` from the limiting Kolmogorov
 * distribution (microseconds: the exporter recomputes every feature at every scrape).
 */
export type BinnedKsPValue = 'finite' | 'limit';

export function numericReport(
  ref: NumericProfile,
  cur: NumericCurrent,
  options: DriftOptions,
  exact?: ExactSamples,
  binnedPValue: BinnedKsPValue = 'finite',
): FeatureReport {
  const report = base('numeric', ref.count, cur.present, cur.missing);
  if (ref.count > 0 && cur.present > 0) {
    report.psi = psi(ref.counts, cur.bins);
    report.jensen_shannon = jensenShannonDistance(ref.counts, cur.bins);
    report.out_of_range_ratio = outOfRangeRatio(cur.outOfRange, cur.present);
    if (exact) {
      const ks = ksTwoSample(exact.reference, exact.current);
      report.ks_statistic = ks.statistic;
      report.ks_pvalue = ks.pvalue;
    } else {
      const ks = ksFromBins(ref.fine_counts, cur.fine, binnedPValue === 'finite');
      report.ks_statistic = ks.statistic;
      report.ks_pvalue =
        binnedPValue === 'finite' ? ks.pvalue : ksAsymptoticPValue(ks.statistic, ref.count, cur.present);
      report.ks_error_bound = ks.errorBound;
    }
  }
  if (Number.isFinite(ref.mean) && cur.finite > 0) {
    const { value: w, errorBound } = exact ? { value: exactWasserstein(exact) } : binnedWasserstein(ref, cur);
    if (Number.isFinite(w)) {
      report.wasserstein = w;
      report.wasserstein_normalized = normalizedWasserstein(w, ref.std);
      if (errorBound !== undefined) report.wasserstein_error_bound = errorBound;
    }
    const meanOffset = cur.centredSum / cur.finite;
    const variance = Math.max(0, cur.centredSumSquares / cur.finite - meanOffset * meanOffset);
    report.mean_shift = meanShift(ref.mean + meanOffset, ref.mean, ref.std);
    report.std_ratio = stdRatio(Math.sqrt(variance), ref.std);
  }
  return decide(report, options);
}

export function categoricalReport(
  ref: CategoricalProfile,
  cur: CategoricalCurrent,
  options: DriftOptions,
): FeatureReport {
  const report = base('categorical', ref.count, cur.present, cur.missing);
  if (ref.count > 0 && cur.present > 0) {
    report.psi = psi(ref.counts, cur.bins);
    report.jensen_shannon = jensenShannonDistance(ref.counts, cur.bins);
    const chi2 = chi2Homogeneity(ref.counts, cur.bins);
    if (chi2) {
      report.chi2_statistic = chi2.statistic;
      report.chi2_pvalue = chi2.pvalue;
    }
    report.new_category_ratio = newCategoryRatio(cur.newCategories, cur.present);
  }
  return decide(report, options);
}

function base(type: FeatureReport['type'], nRef: number, nCur: number, missing: number): FeatureReport {
  const report: FeatureReport = {
    type,
    status: 'insufficient_data',
    drifted: false,
    n_reference: nRef,
    n_current: nCur,
  };
  if (nCur + missing > 0) report.missing_ratio = missingRatio(missing, nCur + missing);
  return report;
}

/**
 * The statistic the drift decision reads. Categorical features have no KS or Wasserstein:
 * they use the chi-squared p-value and the JS distance in their place, with the same threshold.
 */
export function decisionValue(report: FeatureReport, options: DriftOptions): number | undefined {
  switch (options.statistic) {
    case 'psi':
      return report.psi;
    case 'jensen_shannon':
      return report.jensen_shannon;
    case 'wasserstein_normalized':
      return report.type === 'numeric' ? report.wasserstein_normalized : report.jensen_shannon;
    case 'ks_pvalue':
      return report.type === 'numeric' ? report.ks_pvalue : report.chi2_pvalue;
  }
}

function decide(report: FeatureReport, options: DriftOptions): FeatureReport {
  const n = report.n_reference > 0 ? report.n_current : 0;
  report.status = featureStatus(decisionValue(report, options), n, options);
  report.drifted = report.status === 'drift';
  // Never NaN in a report: drop whatever could not be computed.
  for (const [key, value] of Object.entries(report)) {
    if (typeof value === 'number' && Number.isNaN(value)) delete (report as unknown as Record<string, unknown>)[key];
  }
  return report;
}

function exactWasserstein(exact: ExactSamples): number {
  return wasserstein(finitePart(exact.reference), finitePart(exact.current));
}

function binnedWasserstein(ref: NumericProfile, cur: NumericCurrent): { value: number; errorBound?: number } {
  const ends = [ref.min, ref.max, cur.min, cur.max, ...ref.fine_edges].filter(Number.isFinite);
  const [lo, hi] = [Math.min(...ends), Math.max(...ends)];
  // Bin sums describe every value only when no side holds ±Infinity.
  const allFinite = Number.isFinite(ref.min) && Number.isFinite(ref.max) && cur.present === cur.finite;
  if (ref.fine_sums && cur.fineSums && allFinite) {
    const ours = { counts: cur.fine, sums: cur.fineSums };
    return wassersteinFromBinSums(ref.fine_edges, { counts: ref.fine_counts, sums: ref.fine_sums }, ours, lo, hi);
  }
  return { value: wassersteinFromBins(ref.fine_edges, ref.fine_counts, cur.fine, lo, hi) };
}
