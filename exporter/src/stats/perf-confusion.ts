// Confusion matrices are flat Float64Arrays of k*k counts: row = true class index, column = predicted
// class index, so cell (t, p) is at t * k + p. Classes are identified by their index in `classes`.

/** Index of `label` among `classes`; -1 when it is not one of them (callers count it as unknown). */
export function classIndex<T>(classes: readonly T[], label: T): number {
  return classes.indexOf(label);
}

/** Flat offset of cell (trueIndex, predictedIndex) in a k*k confusion matrix. */
export function confusionOffset(k: number, trueIndex: number, predictedIndex: number): number {
  return trueIndex * k + predictedIndex;
}

/** Throws unless `confusion` holds exactly k*k cells. */
export function assertSquare(confusion: ArrayLike<number>, k: number): void {
  if (!Number.isInteger(k) || k < 1 || confusion.length !== k * k) {
    throw new RangeError(`confusion matrix has ${confusion.length} cells, expected ${k}*${k}`);
  }
}
