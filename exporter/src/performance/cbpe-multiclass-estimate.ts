// Multiclass confidence-based performance estimation from a window's sums (cbpe-multiclass-windows.ts),
// one-vs-rest as NannyML. With p the normalised calibrated probabilities: accuracy is Σ over rows of
// p of the predicted class over the rows; per class c, TP = Σ p_c over predictions of c, FP = their
// count − TP, FN = Σ p_c over the other predictions; precision, recall and F1 of each class from
// them, averaged unweighted (macro). These need only s[k][c], so they equal the row-level
// estimator up to floating-point summation. A macro metric is absent when one class's is undefined
// (NannyML gives NaN then).
//
// AUROC: per class, NannyML's curve over rows in descending order of the class's raw score, each
// adding p_c to the true and 1 − p_c to the false positives; from per-interval sums, the rows of one
// interval of the class's map are joined by a chord (their order inside it is not kept; the
// normalisation makes p_c vary inside even a constant interval). Not exact: on the fixture it is
// within 4.4e-4 of the row-level value (tests hold 1e-3), far below its sampling error (about 6e-3).
//
// The band: each labelled row's class is a draw from its probabilities; a macro metric is a function
// of the per-class TP and FN counts, whose linearisation is a sum over rows of a_{k,y} (k the
// predicted class, y the label) with variance Σ_c a_kc² p_c − (Σ_c a_kc p_c)², summed from s and q.
// Unlike the binary band, the calibration's own error from the reference's finite size is left
// out. AUROC's: Hanley and McNeil's per class at expected class counts, combined as independent.
import { binnedMannWhitney, curveAuroc } from './binned-auroc.ts';
import { hanleyMcNeil, type EstimatedMetric, type Estimates } from './cbpe-estimate.ts';
import type { MulticlassLayout, Population } from './cbpe-multiclass-windows.ts';

/** Estimated macro metrics of a window's sums over `population`. */
export function estimateMulticlass(cells: Float64Array, layout: MulticlassLayout, population: Population = 'all') {
  const { k } = layout;
  const n = (c: number) => cells[layout.n(population, c)];
  const s = (row: number, c: number) => cells[layout.s(population, row, c)];
  const q = (row: number, c: number, d: number) => cells[layout.q(population, row, Math.min(c, d), Math.max(c, d))];
  let rows = 0;
  let expectedCorrect = 0;
  for (let c = 0; c < k; c++) {
    rows += n(c);
    expectedCorrect += s(c, c);
  }
  const out: Estimates = {};
  if (rows === 0) return out;

  // Variance of Σ over rows of a[predicted][label].
  const variance = (a: (predicted: number, label: number) => number) => {
    let total = 0;
    for (let row = 0; row < k; row++) {
      for (let c = 0; c < k; c++) {
        const ac = a(row, c);
        if (ac === 0) continue;
        total += ac * ac * s(row, c);
        for (let d = 0; d < k; d++) total -= ac * a(row, d) * q(row, c, d);
      }
    }
    return Math.max(total, 0);
  };
  const add = (metric: EstimatedMetric, value: number, a: (predicted: number, label: number) => number) => {
    out[metric] = { value, standardError: Math.sqrt(variance(a)) };
  };
  add('accuracy', expectedCorrect / rows, (row, c) => (row === c ? 1 / rows : 0));

  const tp = new Float64Array(k);
  const fn = new Float64Array(k);
  const predicted = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    tp[c] = s(c, c);
    predicted[c] = n(c);
    for (let row = 0; row < k; row++) if (row !== c) fn[c] += s(row, c);
  }
  const all = (ok: (c: number) => boolean) => Array.from({ length: k }, (_, c) => c).every(ok);
  // Each macro metric: per class value and its derivatives in that class's TP (a[c][c]) and FN (a[row ≠ c][c]).
  const macro = (
    metric: EstimatedMetric,
    defined: (c: number) => boolean,
    value: (c: number) => number,
    dTp: (c: number) => number,
    dFn: (c: number) => number,
  ) => {
    if (!all(defined)) return;
    let sum = 0;
    for (let c = 0; c < k; c++) sum += value(c);
    add(metric, sum / k, (row, c) => (row === c ? dTp(c) : dFn(c)) / k);
  };
  macro(
    'precision',
    (c) => predicted[c] > 0,
    (c) => tp[c] / predicted[c],
    (c) => 1 / predicted[c],
    () => 0,
  );
  macro(
    'recall',
    (c) => tp[c] + fn[c] > 0,
    (c) => tp[c] / (tp[c] + fn[c]),
    (c) => fn[c] / (tp[c] + fn[c]) ** 2,
    (c) => -tp[c] / (tp[c] + fn[c]) ** 2,
  );
  const f1Denominator = (c: number) => tp[c] + predicted[c] + fn[c];
  macro(
    'f1',
    (c) => f1Denominator(c) > 0,
    (c) => (2 * tp[c]) / f1Denominator(c),
    (c) => (2 * (predicted[c] + fn[c])) / f1Denominator(c) ** 2,
    (c) => (-2 * tp[c]) / f1Denominator(c) ** 2,
  );

  let aurocSum = 0;
  let aurocVariance = 0;
  for (let c = 0; c < k; c++) {
    const auroc = classAuroc(cells, layout, population, c);
    if (auroc === undefined) return out;
    aurocSum += auroc;
    aurocVariance += hanleyMcNeil(auroc, tp[c] + fn[c], rows - tp[c] - fn[c]) ** 2;
  }
  out.auroc = { value: aurocSum / k, standardError: Math.sqrt(aurocVariance) / k };
  return out;
}

/** NannyML's estimated AUROC of class c: its roc cells from the top interval down. */
function classAuroc(cells: Float64Array, layout: MulticlassLayout, population: Population, c: number) {
  const top = layout.intervalsOf[c] - 1;
  return curveAuroc(
    layout.intervalsOf[c],
    (j) => cells[layout.roc(population, c, top - j)],
    (j) => cells[layout.roc(population, c, top - j) + 1],
  );
}

/**
 * Realised macro metrics of the labelled predictions, for the self-check. A label of no known class
 * counts as wrong. AUROC ranks rows by the interval of the class's map, ties within one.
 */
export function realisedMulticlass(cells: Float64Array, layout: MulticlassLayout) {
  const { k } = layout;
  const confusion = (predicted: number, truth: number) => cells[layout.confusion(predicted, truth)];
  const out: Partial<Record<EstimatedMetric, number>> = {};
  let rows = 0;
  let correct = 0;
  const tp = new Float64Array(k);
  const fp = new Float64Array(k);
  const fn = new Float64Array(k);
  for (let predicted = 0; predicted < k; predicted++) {
    for (let truth = 0; truth <= k; truth++) {
      const count = confusion(predicted, truth);
      rows += count;
      if (truth === predicted) {
        correct += count;
        tp[predicted] += count;
      } else {
        fp[predicted] += count;
        if (truth < k) fn[truth] += count;
      }
    }
  }
  if (rows === 0) return out;
  out.accuracy = correct / rows;
  const macro = (metric: EstimatedMetric, numerator: (c: number) => number, denominator: (c: number) => number) => {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      if (denominator(c) <= 0) return;
      sum += numerator(c) / denominator(c);
    }
    out[metric] = sum / k;
  };
  macro(
    'precision',
    (c) => tp[c],
    (c) => tp[c] + fp[c],
  );
  macro(
    'recall',
    (c) => tp[c],
    (c) => tp[c] + fn[c],
  );
  macro(
    'f1',
    (c) => 2 * tp[c],
    (c) => 2 * tp[c] + fp[c] + fn[c],
  );
  let aurocSum = 0;
  for (let c = 0; c < k; c++) {
    const auroc = binnedMannWhitney(
      layout.intervalsOf[c],
      (i) => cells[layout.roc('labelled', c, i)],
      (i) => cells[layout.rocPositives(c, i)],
    );
    if (auroc === undefined) return out;
    aurocSum += auroc;
  }
  out.auroc = aurocSum / k;
  return out;
}

/** How many predictions (all, or with their label) the sums hold. */
export function countMulticlass(cells: Float64Array, layout: MulticlassLayout, population: Population): number {
  let total = 0;
  for (let c = 0; c < layout.k; c++) total += cells[layout.n(population, c)];
  return total;
}
