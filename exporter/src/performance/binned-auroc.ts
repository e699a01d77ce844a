// AUROC from rows grouped into ordered bins (the calibration map's intervals), as both the binary
// and the multiclass estimation compute it: the estimated one from expected positive counts along
// the curve, the realised one from labelled counts with ties inside a bin.

/**
 * NannyML's estimated AUROC: `steps` cells in descending score order, cell j adding
 * `positives(j)` (Σ p) to the true and `rows(j)` − that (Σ (1 − p)) to the false positives; trapezoids.
 */
export function curveAuroc(
  steps: number,
  rows: (j: number) => number,
  positives: (j: number) => number,
): number | undefined {
  let tp = 0;
  let fp = 0;
  let area = 0;
  for (let j = 0; j < steps; j++) {
    const dTp = positives(j);
    const dFp = rows(j) - dTp;
    area += dFp * (tp + dTp / 2);
    tp += dTp;
    fp += dFp;
  }
  return tp > 0 && fp > 0 ? area / (tp * fp) : undefined;
}

/** Mann-Whitney AUROC over `bins` in ascending score order, rows of one bin tied. */
export function binnedMannWhitney(
  bins: number,
  rows: (i: number) => number,
  positives: (i: number) => number,
): number | undefined {
  let negativesBelow = 0;
  let positivesTotal = 0;
  let pairs = 0;
  for (let i = 0; i < bins; i++) {
    const p = positives(i);
    const negatives = rows(i) - p;
    pairs += p * (negativesBelow + negatives / 2);
    negativesBelow += negatives;
    positivesTotal += p;
  }
  return positivesTotal > 0 && negativesBelow > 0 ? pairs / (positivesTotal * negativesBelow) : undefined;
}
