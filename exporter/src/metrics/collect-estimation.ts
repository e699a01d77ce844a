// Label-free performance estimation families: per model (and segment) and window the CBPE estimates and their
// 95 % bands, and, once enough labels arrived for the window's predictions, the self-check.
import type { ModelEntry } from '../model-entry.ts';
import { ESTIMATED_METRICS, Z95 } from '../performance/cbpe-estimate.ts';
import type { Estimator } from '../performance/cbpe-model.ts';
import type { Exposition, Labels } from './exposition.ts';

const clamp = (value: number) => Math.min(1, Math.max(0, value));

export function collectEstimation(out: Exposition, models: Iterable<[string, ModelEntry]>, now: number): void {
  const samples = out.family('mlmon_performance_estimated_samples');
  const families = ESTIMATED_METRICS.map(
    (metric) =>
      [
        metric,
        out.family(`mlmon_performance_estimated_${metric}`),
        out.family(`mlmon_performance_estimated_${metric}_lower`),
        out.family(`mlmon_performance_estimated_${metric}_upper`),
      ] as const,
  );
  const labelled = out.family('mlmon_performance_estimation_labelled');
  const error = out.family('mlmon_performance_estimation_error');
  const withinBand = out.family('mlmon_performance_estimation_within_band');

  const write = (base: Labels, estimation: Estimator) => {
    for (const { window, samples: count, estimates, labelled: known, check } of estimation.report(now)) {
      const labels = { ...base, window: window.label };
      samples.sample(labels, count);
      for (const [metric, value, lower, upper] of families) {
        const e = estimates[metric];
        if (!e) continue;
        value.sample(labels, e.value);
        lower.sample(labels, clamp(e.value - Z95 * e.standardError));
        upper.sample(labels, clamp(e.value + Z95 * e.standardError));
      }
      labelled.sample(labels, known);
      // The self-check: the estimate those labelled predictions alone give, against their labels.
      if (!check) continue;
      for (const metric of ESTIMATED_METRICS) {
        const e = check.estimates[metric];
        const r = check.realised[metric];
        if (!e || r === undefined) continue;
        const metricLabels = { ...labels, metric };
        error.sample(metricLabels, e.value - r);
        withinBand.sample(metricLabels, Math.abs(e.value - r) <= Z95 * e.standardError ? 1 : 0);
      }
    }
  };
  for (const [model, entry] of models) {
    if (!entry.estimation) continue;
    write({ model }, entry.estimation);
    for (const column of entry.segments) {
      for (const segment of column.segments) {
        if (segment.estimation)
          write({ model, segment: segment.column, segment_value: segment.value }, segment.estimation);
      }
    }
  }
}
