// Multiclass macro one-vs-rest AUROC, sklearn roc_auc_score(y, proba, multi_class='ovr', average='macro'):
// the unweighted mean over classes of the binary AUROC of "class c" vs "the rest" on column c's scores.
import { aurocFromHistograms } from './perf-auroc.ts';

export interface OneVsRestHistograms {
  positives: ArrayLike<number>;
  negatives: ArrayLike<number>;
}

/**
 * Macro OvR AUROC over the classes present in the labels (a class with any positive count); NaN when
 * fewer than 2 are present. sklearn raises when a configured class never occurs in y_true; here that
 * class is skipped instead, which equals the mean of sklearn's binary AUROC over the present classes
 * (a class's binary AUROC depends only on its own score column).
 */
export function aurocOneVsRest(perClass: readonly OneVsRestHistograms[]): number {
  let sum = 0;
  let present = 0;
  for (const { positives, negatives } of perClass) {
    if (!hasCounts(positives)) continue;
    // With ≥ 2 classes present every present class has negatives, so this is finite then.
    sum += aurocFromHistograms(positives, negatives);
    present++;
  }
  return present >= 2 ? sum / present : NaN;
}

function hasCounts(counts: ArrayLike<number>): boolean {
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) return true;
  return false;
}
