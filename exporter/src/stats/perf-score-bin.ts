// Scores are kept as histograms: a probability maps to bin round(score * (bins - 1)). With 1001 bins a
// score with 3 decimals lands alone in its bin (101 bins: 2 decimals), so AUROC from the histogram equals
// AUROC on the raw scores. Math.round sends halves up (0.0005 * 1000 = 0.5 -> 1), unlike numpy's rint.

export const BINARY_SCORE_BINS = 1001;
export const MULTICLASS_SCORE_BINS = 101;

/** Bin of `score` among `bins` (≥ 2); outside [0, 1] is clamped; NaN gives -1 so callers skip it. */
export function scoreBin(score: number, bins: number): number {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`bins must be an integer >= 2, got ${bins}`);
  if (Number.isNaN(score)) return -1;
  // Math.max(0, -0) is +0: a score just below 0 rounds to -0, which must read as bin 0.
  return Math.min(bins - 1, Math.max(0, Math.round(score * (bins - 1))));
}
