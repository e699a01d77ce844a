// Performance families: metrics per window from joined labels, counters for PromQL ranges and
// SLO burn rates, and the label join's own health.
import { CONFIDENCE_BUCKETS } from '../performance/confidence.ts';
import { LABEL_DELAY_BUCKETS } from '../performance/performance-windows.ts';
import { performanceReport } from '../performance/report.ts';
import type { ModelEntry } from '../model-entry.ts';
import { familiesWhere } from './catalog.ts';
import type { Exposition, Labels } from './exposition.ts';
import type { PerformanceWindows } from '../performance/performance-windows.ts';

/** Per-window performance families, from the catalog: each names its report field. */
const WINDOW_METRICS = familiesWhere((spec) => spec.performance !== undefined).map(
  ([name, spec]) => [spec.performance!, name] as const,
);

export function collectPerformance(out: Exposition, models: Iterable<[string, ModelEntry]>, now: number): void {
  const windowFamilies = WINDOW_METRICS.map(([key, name]) => [key, out.family(name)] as const);
  const samples = out.family('mlmon_performance_samples');
  const labelClass = out.family('mlmon_label_class_ratio');
  const evaluated = out.family('mlmon_performance_evaluated_total');
  const correct = out.family('mlmon_performance_correct_total');
  const absError = out.family('mlmon_performance_absolute_error_total');
  const sqError = out.family('mlmon_performance_squared_error_total');
  const received = out.family('mlmon_labels_received_total');
  const joined = out.family('mlmon_labels_joined_total');
  const unmatched = out.family('mlmon_labels_unmatched_total');
  const expired = out.family('mlmon_labels_expired_total');
  const buffered = out.family('mlmon_label_join_buffer_records');
  const delay = out.family('mlmon_label_delay_seconds');
  const confidence = out.family('mlmon_prediction_confidence');

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
    const writeWindows = (base: Labels, windows: PerformanceWindows) => {
      for (const { window, counts } of windows.totals(now)) {
        const labels = { ...base, window: window.label };
        const report = performanceReport(windows, counts);
        samples.sample(labels, report.samples);
        for (const [key, family] of windowFamilies) {
          const value = report[key];
          if (typeof value === 'number') family.sample(labels, value);
        }
        for (const [name, ratio] of report.labelRatios ?? []) labelClass.sample({ ...labels, class: name }, ratio);
      }
    };
    writeWindows({ model }, performance);
    for (const column of entry.segments) {
      for (const segment of column.segments) {
        if (segment.performance)
          writeWindows({ model, segment: segment.column, segment_value: segment.value }, segment.performance);
      }
    }
  }
}
