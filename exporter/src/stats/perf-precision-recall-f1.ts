// sklearn precision_score / recall_score / f1_score with zero_division=0, from a confusion matrix.
// Per class: precision = tp / predicted, recall = tp / true, f1 = 2 tp / (true + predicted) (sklearn's
// form, which avoids the 0/0 of 2PR/(P+R)); any 0 denominator gives 0.
import { assertSquare } from './perf-confusion.ts';

export type Average = { kind: 'binary'; positive: number } | { kind: 'macro' };

export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * binary: the scores of class `positive` (sklearn average='binary', pos_label).
 * macro: unweighted mean over the classes with any count in their row or column, i.e. sklearn's default
 * labels (the union of y_true and y_pred); configured classes never seen do not dilute the mean.
 * An empty matrix gives NaN in both modes (sklearn raises on empty input; NaN reads as "no data").
 */
export function precisionRecallF1(confusion: ArrayLike<number>, k: number, average: Average): PrecisionRecallF1 {
  assertSquare(confusion, k);
  if (average.kind === 'binary') {
    const c = average.positive;
    if (!Number.isInteger(c) || c < 0 || c >= k) throw new RangeError(`positive class ${c} outside 0..${k - 1}`);
    if (isEmpty(confusion)) return { precision: NaN, recall: NaN, f1: NaN };
    const s = classScores(confusion, k, c);
    return { precision: s.precision, recall: s.recall, f1: s.f1 };
  }
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  let present = 0;
  for (let c = 0; c < k; c++) {
    const s = classScores(confusion, k, c);
    if (s.trueCount === 0 && s.predictedCount === 0) continue;
    precision += s.precision;
    recall += s.recall;
    f1 += s.f1;
    present++;
  }
  if (present === 0) return { precision: NaN, recall: NaN, f1: NaN };
  return { precision: precision / present, recall: recall / present, f1: f1 / present };
}

function classScores(
  confusion: ArrayLike<number>,
  k: number,
  c: number,
): PrecisionRecallF1 & { trueCount: number; predictedCount: number } {
  let trueCount = 0;
  let predictedCount = 0;
  for (let j = 0; j < k; j++) {
    trueCount += confusion[c * k + j];
    predictedCount += confusion[j * k + c];
  }
  const tp = confusion[c * k + c];
  return {
    precision: divideOrZero(tp, predictedCount),
    recall: divideOrZero(tp, trueCount),
    f1: divideOrZero(2 * tp, trueCount + predictedCount),
    trueCount,
    predictedCount,
  };
}

function divideOrZero(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

function isEmpty(confusion: ArrayLike<number>): boolean {
  for (let i = 0; i < confusion.length; i++) if (confusion[i] !== 0) return false;
  return true;
}
