// sklearn accuracy_score from a confusion matrix: the diagonal's share of all counts.
import { assertSquare } from './perf-confusion.ts';

/** Share of correct predictions; NaN when the matrix holds no counts. */
export function accuracyFromConfusion(confusion: ArrayLike<number>, k: number): number {
  assertSquare(confusion, k);
  let correct = 0;
  let total = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) total += confusion[t * k + p];
    correct += confusion[t * k + t];
  }
  return total > 0 ? correct / total : NaN;
}
