// A window's performance metrics from its counts, as scikit-learn would compute them on the
// evaluations themselves (score histograms make AUROC exact for 3-decimal binary scores).
import { aurocFromHistograms, aurocOneVsRest, precisionRecallF1, regressionMetrics } from '../stats/index.ts';
import {
  ABS_ERROR,
  ABS_PERCENT_ERROR,
  CORRECT,
  EVALUATED,
  SQUARED_ERROR,
  type PerformanceWindows,
} from './performance-windows.ts';

export interface PerformanceReport {
  samples: number;
  accuracy?: number;
  precision?: number;
  recall?: number;
  f1?: number;
  auroc?: number;
  rmse?: number;
  mae?: number;
  mape?: number;
  /** Share of each class among the labels and among the predictions evaluated. */
  labelRatios?: Map<string, number>;
  predictionRatios?: Map<string, number>;
}

export function performanceReport(performance: PerformanceWindows, counts: Float64Array): PerformanceReport {
  const samples = counts[EVALUATED];
  if (samples === 0) return { samples };
  if (performance.task === 'regression') {
    return {
      samples,
      ...regressionMetrics({
        n: samples,
        absError: counts[ABS_ERROR],
        squaredError: counts[SQUARED_ERROR],
        absPercentError: counts[ABS_PERCENT_ERROR],
      }),
    };
  }
  const { k, confusion, histograms } = performance.layout;
  const matrix = counts.subarray(confusion, confusion + k * k);
  const positive = performance.positiveClass;
  const average =
    positive !== undefined
      ? { kind: 'binary' as const, positive: performance.classes.indexOf(positive) }
      : { kind: 'macro' as const };
  const report: PerformanceReport = {
    samples,
    accuracy: counts[CORRECT] / samples,
    ...precisionRecallF1(matrix, k, average),
    labelRatios: new Map(),
    predictionRatios: new Map(),
  };
  for (let c = 0; c < k; c++) {
    let row = 0;
    let column = 0;
    for (let j = 0; j < k; j++) {
      row += matrix[c * k + j];
      column += matrix[j * k + c];
    }
    if (row > 0) report.labelRatios!.set(performance.classes.nameOf(c), row / samples);
    if (column > 0) report.predictionRatios!.set(performance.classes.nameOf(c), column / samples);
  }
  const bins = performance.scoreBins;
  if (positive !== undefined) {
    report.auroc = aurocFromHistograms(
      counts.subarray(histograms, histograms + bins),
      counts.subarray(histograms + bins, histograms + 2 * bins),
    );
  } else {
    const perClass = [];
    for (let c = 0; c < performance.classes.names.length; c++) {
      const base = histograms + c * 2 * bins;
      const positives = counts.subarray(base, base + bins);
      const negatives = counts.subarray(base + bins, base + 2 * bins);
      if (positives.some((v) => v > 0) || negatives.some((v) => v > 0)) perClass.push({ positives, negatives });
    }
    if (perClass.length >= 2) report.auroc = aurocOneVsRest(perClass);
  }
  return report;
}
