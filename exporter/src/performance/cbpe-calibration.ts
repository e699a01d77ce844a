// The calibration behind label-free performance estimation (CBPE): isotonic regression of the
// labels on the model's score, fitted once on a labelled reference by pool-adjacent-violators, as
// NannyML does by default (scikit-learn's IsotonicRegression with out_of_bounds='clip'). Isotonic
// because it assumes nothing about the score's shape but monotonicity, and because the map it gives
// is a short list of points: a score's place among them (its interval) is all a window needs to
// keep to estimate exactly what the row-level estimator would.
//
// The map is scikit-learn's: the fitted points where the fitted value changes (first and last point
// of each constant block), linear interpolation between them, clipped beyond the ends.

export interface Calibration {
  /** Increasing raw scores of the map's points. */
  readonly x: Float64Array;
  /** Calibrated probability at each point (non-decreasing). */
  readonly y: Float64Array;
  /**
   * Per interval (x.length + 1 of them: below x[0], between consecutive points, above the last):
   * the variance of the calibrated value from the reference's finite size, p(1 − p) / rows of the
   * block (the larger of the two neighbouring blocks' for an interval between blocks).
   */
  readonly variance: Float64Array;
  /** Labelled reference rows the map was fitted on. */
  readonly rows: number;
}

/** Reference size bound: the fit sorts every row once; the map keeps at most this many points. */
export const MAX_CALIBRATION_POINTS = 2048;

interface Block {
  sumW: number;
  sumWY: number;
  start: number;
  end: number; // exclusive, over the unique scores
}

/** Fits the map on `scores` (finite) and their binary `labels` (1 positive, 0 negative). */
export function fitCalibration(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
  const n = scores.length;
  if (n === 0) throw new Error('the labelled reference has no row with a score and a label');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b] || labels[a] - labels[b]);
  // Equal scores are one point whose value is their mean label (scikit-learn's _make_unique).
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  for (const i of order) {
    const last = ux.length - 1;
    if (last >= 0 && scores[i] === ux[last]) {
      uy[last] += labels[i];
      uw[last] += 1;
    } else {
      ux.push(scores[i]);
      uy.push(labels[i]);
      uw.push(1);
    }
  }
  const blocks = poolAdjacentViolators(uy, uw);
  const fitted = new Float64Array(ux.length);
  const blockOf = new Int32Array(ux.length);
  blocks.forEach((block, b) => {
    for (let i = block.start; i < block.end; i++) {
      fitted[i] = block.sumWY / block.sumW;
      blockOf[i] = b;
    }
  });
  // Keep the first and last point of each constant run (as scikit-learn's trim_duplicates).
  const keep: number[] = [];
  for (let i = 0; i < ux.length; i++) {
    const interior = i > 0 && i < ux.length - 1;
    if (!interior || fitted[i] !== fitted[i - 1] || fitted[i] !== fitted[i + 1]) keep.push(i);
  }
  if (keep.length > MAX_CALIBRATION_POINTS) {
    throw new Error(
      `the calibration has ${keep.length} points, more than ${MAX_CALIBRATION_POINTS}: round the reference scores (e.g. to 3 decimals)`,
    );
  }
  const blockVariance = blocks.map((block) => {
    const p = block.sumWY / block.sumW;
    return (p * (1 - p)) / block.sumW;
  });
  const x = Float64Array.from(keep, (i) => ux[i]);
  const y = Float64Array.from(keep, (i) => fitted[i]);
  const variance = new Float64Array(keep.length + 1);
  variance[0] = blockVariance[blockOf[keep[0]]];
  for (let k = 1; k < keep.length; k++) {
    variance[k] = Math.max(blockVariance[blockOf[keep[k - 1]]], blockVariance[blockOf[keep[k]]]);
  }
  variance[keep.length] = blockVariance[blockOf[keep[keep.length - 1]]];
  return { x, y, variance, rows: n };
}

/** Weighted least-squares non-decreasing fit: blocks of pooled points. */
function poolAdjacentViolators(y: readonly number[], w: readonly number[]): Block[] {
  const stack: Block[] = [];
  for (let i = 0; i < y.length; i++) {
    let block: Block = { sumW: w[i], sumWY: y[i], start: i, end: i + 1 };
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.sumWY / top.sumW < block.sumWY / block.sumW) break;
      stack.pop();
      block = { sumW: top.sumW + block.sumW, sumWY: top.sumWY + block.sumWY, start: top.start, end: block.end };
    }
    stack.push(block);
  }
  return stack;
}

/** The interval of a score: 0 below the first point, k between points k − 1 and k, x.length above. */
export function intervalOf(calibration: Calibration, score: number): number {
  const { x } = calibration;
  let lo = 0;
  let hi = x.length; // first point whose x > score
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= score) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The calibrated probability of a score (numpy's interp over the points, clipped at the ends). */
export function calibrate(calibration: Calibration, score: number, interval = intervalOf(calibration, score)): number {
  const { x, y } = calibration;
  if (interval === 0) return y[0];
  if (interval === x.length) return y[x.length - 1];
  const left = interval - 1;
  if (score === x[left]) return y[left];
  const slope = (y[interval] - y[left]) / (x[interval] - x[left]);
  return slope * (score - x[left]) + y[left];
}

/** Whether two maps are the same (a reload keeps a model's windows only then). */
export function sameCalibration(a: Calibration | undefined, b: Calibration | undefined): boolean {
  if (!a || !b) return a === b;
  const equal = (u: Float64Array, v: Float64Array) => u.length === v.length && u.every((x, i) => x === v[i]);
  return a.rows === b.rows && equal(a.x, b.x) && equal(a.y, b.y);
}
