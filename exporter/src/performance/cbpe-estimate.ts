// Confidence-based performance estimation from a window's cell sums (cbpe-windows.ts).
//
// With calibrated probabilities p, the expected confusion matrix is TP = Σ p and FP = Σ (1 − p) over
// predicted positives, FN = Σ p and TN = Σ (1 − p) over predicted negatives; accuracy, precision,
// recall and F1 follow from it (NannyML's CBPE). These need only Σ p per predicted class, so they
// equal the row-level estimator up to floating-point summation. AUROC is NannyML's: the ROC curve
// whose steps are the rows in descending score order, each adding p to the true and 1 − p to the
// false positives. Rows of equal calibrated p are collinear on it, so it is exact over the map's
// constant intervals; between two of the map's points (linear interpolation) the rows of one
// interval are joined by a chord: a difference far below the sampling error.
//
// The band: the realised metric, given the window's scores, is a function of independent
// Bernoulli(p) labels; its standard error combines their variance, Σ p(1 − p) per predicted class,
// with the calibration's own from the reference's finite size (per interval), by the delta method.
// AUROC's uses Hanley and McNeil's formula at the estimated AUROC and expected class counts.
import type { Calibration } from './cbpe-calibration.ts';
import { binnedMannWhitney, curveAuroc } from './binned-auroc.ts';
import { FIELDS, LABELLED, LABELLED_SUM_P, LABELLED_SUM_P2, N, POSITIVES, SUM_P, SUM_P2 } from './cbpe-windows.ts';

export const ESTIMATED_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'auroc'] as const;
export type EstimatedMetric = (typeof ESTIMATED_METRICS)[number];

export interface Estimate {
  value: number;
  standardError: number;
}

export type Estimates = Partial<Record<EstimatedMetric, Estimate>>;

/** Two-sided 95 % normal quantile: the band is estimate ± Z95 × standard error. */
export const Z95 = 1.959963984540054;

/** Which sums to read: all predictions, or only those whose label arrived (the self-check). */
export type Population = 'all' | 'labelled';

const FIELDS_OF: Record<Population, { n: number; sumP: number; sumP2: number }> = {
  all: { n: N, sumP: SUM_P, sumP2: SUM_P2 },
  labelled: { n: LABELLED, sumP: LABELLED_SUM_P, sumP2: LABELLED_SUM_P2 },
};

/** Estimated metrics of a window's cells; a metric is absent when undefined (no rows, no positives…). */
export function estimate(cells: Float64Array, calibration: Calibration, population: Population = 'all'): Estimates {
  const intervals = calibration.x.length + 1;
  const f = FIELDS_OF[population];
  const at = (side: number, interval: number, field: number) => cells[(side * intervals + interval) * FIELDS + field];
  // A = expected true positives (Σ p, predicted positive), B = expected false negatives (Σ p, predicted negative).
  let nPos = 0;
  let nNeg = 0;
  let a = 0;
  let b = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < intervals; i++) {
    nPos += at(0, i, f.n);
    nNeg += at(1, i, f.n);
    a += at(0, i, f.sumP);
    b += at(1, i, f.sumP);
    varA += at(0, i, f.sumP) - at(0, i, f.sumP2);
    varB += at(1, i, f.sumP) - at(1, i, f.sumP2);
  }
  const n = nPos + nNeg;
  const out: Estimates = {};
  if (n === 0) return out;
  // Each metric as a function of (A, B) with its partial derivatives, for the delta method.
  const metrics: [EstimatedMetric, number, number, number][] = [['accuracy', (a + nNeg - b) / n, 1 / n, -1 / n]];
  if (nPos > 0) metrics.push(['precision', a / nPos, 1 / nPos, 0]);
  if (a + b > 0) metrics.push(['recall', a / (a + b), b / (a + b) ** 2, -a / (a + b) ** 2]);
  const d = a + nPos + b;
  if (d > 0) metrics.push(['f1', (2 * a) / d, (2 * (nPos + b)) / d ** 2, (-2 * a) / d ** 2]);
  for (const [name, value, dA, dB] of metrics) {
    let calibrationVariance = 0;
    for (let i = 0; i < intervals; i++) {
      const slope = dA * at(0, i, f.n) + dB * at(1, i, f.n);
      calibrationVariance += slope * slope * calibration.variance[i];
    }
    const variance = dA * dA * varA + dB * dB * varB + calibrationVariance;
    out[name] = { value, standardError: Math.sqrt(variance) };
  }
  const auroc = estimatedAuroc(cells, intervals, f.n, f.sumP);
  if (auroc !== undefined) out.auroc = { value: auroc, standardError: hanleyMcNeil(auroc, a + b, n - a - b) };
  return out;
}

/** NannyML's estimated AUROC: intervals from the top; within one, predicted positives first (higher scores). */
function estimatedAuroc(cells: Float64Array, intervals: number, nField: number, pField: number): number | undefined {
  const cell = (j: number) => ((j % 2) * intervals + intervals - 1 - Math.floor(j / 2)) * FIELDS;
  return curveAuroc(
    2 * intervals,
    (j) => cells[cell(j) + nField],
    (j) => cells[cell(j) + pField],
  );
}

/** Hanley & McNeil (1982) standard error of an AUROC with `positives` and `negatives` rows. */
export function hanleyMcNeil(auroc: number, positives: number, negatives: number): number {
  const q1 = auroc / (2 - auroc);
  const q2 = (2 * auroc * auroc) / (1 + auroc);
  const variance =
    (auroc * (1 - auroc) + (positives - 1) * (q1 - auroc * auroc) + (negatives - 1) * (q2 - auroc * auroc)) /
    (positives * negatives);
  return Math.sqrt(Math.max(variance, 0));
}

/**
 * Realised metrics of the labelled predictions of the cells, for the self-check. AUROC ranks rows
 * by interval, ties within one: under a holding calibration its expectation is the same as the
 * raw-score AUROC's (labels within a constant interval are exchangeable).
 */
export function realised(cells: Float64Array, intervals: number): Partial<Record<EstimatedMetric, number>> {
  const at = (side: number, interval: number, field: number) => cells[(side * intervals + interval) * FIELDS + field];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < intervals; i++) {
    tp += at(0, i, POSITIVES);
    fp += at(0, i, LABELLED) - at(0, i, POSITIVES);
    fn += at(1, i, POSITIVES);
    tn += at(1, i, LABELLED) - at(1, i, POSITIVES);
  }
  const n = tp + fp + fn + tn;
  const out: Partial<Record<EstimatedMetric, number>> = {};
  if (n === 0) return out;
  out.accuracy = (tp + tn) / n;
  if (tp + fp > 0) out.precision = tp / (tp + fp);
  if (tp + fn > 0) out.recall = tp / (tp + fn);
  if (2 * tp + fp + fn > 0) out.f1 = (2 * tp) / (2 * tp + fp + fn);
  // Mann-Whitney over the intervals (both predicted classes of an interval merged: ties).
  const auroc = binnedMannWhitney(
    intervals,
    (i) => at(0, i, LABELLED) + at(1, i, LABELLED),
    (i) => at(0, i, POSITIVES) + at(1, i, POSITIVES),
  );
  if (auroc !== undefined) out.auroc = auroc;
  return out;
}

/** How many predictions (all, or with their label) the cells hold. */
export function countOf(cells: Float64Array, intervals: number, population: Population): number {
  const field = FIELDS_OF[population].n;
  let total = 0;
  for (let cell = 0; cell < 2 * intervals; cell++) total += cells[cell * FIELDS + field];
  return total;
}
