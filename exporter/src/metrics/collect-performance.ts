// Performance families: metrics per window from joined labels, counters for PromQL ranges and
// SLO burn rates, and the label join's own health.
import { CONFIDENCE_BUCKETS } from '../performance/confidence.ts';
import { LABEL_DELAY_BUCKETS } from '../performance/performance-state.ts';
import { performanceReport, type PerformanceReport } from '../performance/report.ts';
import type { ModelEntry } from '../state.ts';
import type { Exposition } from './exposition.ts';

const WINDOW_METRICS: [keyof PerformanceReport, string, string][] = [
  ['accuracy', 'mlmon_performance_accuracy', 'Accuracy of the predictions whose labels arrived in the window.'],
  ['precision', 'mlmon_performance_precision', 'Precision (binary: of the positive class; else macro average).'],
  ['recall', 'mlmon_performance_recall', 'Recall (binary: of the positive class; else macro average).'],
  ['f1', 'mlmon_performance_f1', 'F1 score (binary: of the positive class; else macro average).'],
  ['auroc', 'mlmon_performance_auroc', 'Area under the ROC curve from the scores (multiclass: macro one-vs-rest).'],
  ['rmse', 'mlmon_performance_rmse', 'Root mean squared error (regression).'],
  ['mae', 'mlmon_performance_mae', 'Mean absolute error (regression).'],
  ['mape', 'mlmon_performance_mape_ratio', 'Mean absolute percentage error as a ratio (regression).'],
];

export function collectPerformance(out: Exposition, models: Iterable<[string, ModelEntry]>, now: number): void {
  const windowFamilies = WINDOW_METRICS.map(([key, name, help]) => [key, out.family(name, 'gauge', help)] as const);
  const samples = out.family(
    'mlmon_performance_samples',
    'gauge',
    'Predictions evaluated against their labels in the window.',
  );
  const labelClass = out.family(
    'mlmon_label_class_ratio',
    'gauge',
    'Share of each class among the labels in the window.',
  );
  const evaluated = out.family(
    'mlmon_performance_evaluated_total',
    'counter',
    'Predictions evaluated against their labels.',
  );
  const correct = out.family('mlmon_performance_correct_total', 'counter', 'Correct predictions (classification).');
  const absError = out.family(
    'mlmon_performance_absolute_error_total',
    'counter',
    'Sum of absolute errors (regression).',
  );
  const sqError = out.family('mlmon_performance_squared_error_total', 'counter', 'Sum of squared errors (regression).');
  const received = out.family('mlmon_labels_received_total', 'counter', 'Labels received.');
  const joined = out.family('mlmon_labels_joined_total', 'counter', 'Labels joined to a waiting prediction.');
  const unmatched = out.family(
    'mlmon_labels_unmatched_total',
    'counter',
    'Labels whose prediction id was not waiting.',
  );
  const expired = out.family(
    'mlmon_labels_expired_total',
    'counter',
    'Predictions evicted from the join buffer before their label.',
  );
  const buffered = out.family('mlmon_label_join_buffer_records', 'gauge', 'Predictions waiting for their label.');
  const delay = out.family('mlmon_label_delay_seconds', 'histogram', 'Seconds from a prediction to its label.');
  const confidence = out.family(
    'mlmon_prediction_confidence',
    'histogram',
    'Probability of the predicted class, from the scores (binary score p: max(p, 1 - p)).',
  );

  for (const [model, entry] of models) {
    const performance = entry.performance;
    received.sample({ model }, entry.labels.received);
    joined.sample({ model }, entry.labels.joined);
    unmatched.sample({ model }, entry.labels.unmatched);
    expired.sample({ model }, entry.joinBuffer.expired);
    buffered.sample({ model }, entry.joinBuffer.size);
    if (!performance) continue;
    const histogram = entry.confidence;
    const observed = histogram.counts.reduce((a, b) => a + b, 0);
    if (observed > 0) confidence.histogram({ model }, CONFIDENCE_BUCKETS, histogram.counts, histogram.sum);
    evaluated.sample({ model }, performance.evaluatedTotal);
    if (performance.task === 'classification') correct.sample({ model }, performance.correctTotal);
    else {
      absError.sample({ model }, performance.absoluteErrorTotal);
      sqError.sample({ model }, performance.squaredErrorTotal);
    }
    delay.histogram({ model }, LABEL_DELAY_BUCKETS, performance.delayBuckets, performance.delaySum);
    for (const { window, counts } of performance.totals(now)) {
      const labels = { model, window: window.label };
      const report = performanceReport(performance, counts);
      samples.sample(labels, report.samples);
      for (const [key, family] of windowFamilies) {
        const value = report[key];
        if (typeof value === 'number') family.sample(labels, value);
      }
      for (const [name, ratio] of report.labelRatios ?? []) labelClass.sample({ ...labels, class: name }, ratio);
    }
  }
}
