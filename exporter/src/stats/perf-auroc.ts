// AUROC from score histograms as the Mann-Whitney U statistic: the share of (positive, negative) pairs
// where the positive scores higher, ties (same bin) counting 1/2. This is what sklearn's roc_auc_score
// (trapezoids under the ROC curve) computes on the binned scores.

/** AUROC of positive/negative counts per bin (bins ordered by score); NaN when either class is empty. */
export function aurocFromHistograms(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  if (positives.length !== negatives.length) {
    throw new RangeError(`bin count mismatch: ${positives.length} vs ${negatives.length}`);
  }
  let negativesBelow = 0;
  let positiveTotal = 0;
  // Twice U, so every term is an integer and the sum stays exact while counts fit in 2^53.
  let twiceU = 0;
  for (let b = 0; b < positives.length; b++) {
    twiceU += positives[b] * (2 * negativesBelow + negatives[b]);
    negativesBelow += negatives[b];
    positiveTotal += positives[b];
  }
  if (positiveTotal === 0 || negativesBelow === 0) return NaN;
  return twiceU / (2 * positiveTotal * negativesBelow);
}
