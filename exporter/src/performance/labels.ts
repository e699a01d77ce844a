// Joins predictions and their ground truth: a record that carries its label is evaluated at once;
// one that carries an id waits in the join buffer for POST /api/v1/labels (or a label source).
import type { PerformanceConfig } from '../config/schema.ts';
import type { Estimator } from './cbpe-model.ts';
import type { ConfidenceHistogram } from './confidence.ts';
import type { JoinBuffer } from './join-buffer.ts';
import type { InferenceRecord } from '../window/record.ts';
import type { Evaluation, PerformanceWindows } from './performance-windows.ts';

export interface LabelRecord {
  id: string;
  label: number | string;
  /** When the label became known; arrival time otherwise. */
  timestampMs?: number;
}

export type LabelOutcome = 'joined' | 'unmatched';

/** What the join needs of one of the model's segments. */
export interface SegmentParts {
  readonly performance?: PerformanceWindows;
  readonly estimation?: Estimator;
}

/** What the join needs of a model (its ModelEntry). */
interface JoinParts {
  performance?: PerformanceWindows;
  performanceConfig?: PerformanceConfig;
  confidence: ConfidenceHistogram;
  /** Label-free estimation (CBPE), when configured. */
  estimation?: Estimator;
  joinBuffer: JoinBuffer;
  labels: { received: number; joined: number; unmatched: number };
}

/** `segments`: the record's segments (one per segment column), which count its evaluation too. */
export function observePrediction(
  entry: JoinParts,
  record: InferenceRecord,
  now: number,
  segments?: readonly SegmentParts[],
): void {
  const performance = entry.performance;
  if (!performance || record.prediction === undefined) return;
  const confidence = confidenceOf(evaluation(entry, record.prediction, '', record.scores));
  if (confidence !== undefined) entry.confidence.observe(confidence);
  const ts = record.timestampMs ?? now;
  if (entry.estimation) {
    const scored = evaluation(entry, record.prediction, record.label ?? '', record.scores);
    const observed = { ...scored, label: record.label };
    entry.estimation.observe(observed, ts, now);
    if (segments) for (const segment of segments) segment.estimation?.observe(observed, ts, now);
  }
  if (record.label !== undefined) {
    const evaluated = evaluation(entry, record.prediction, record.label, record.scores);
    performance.observe(evaluated, ts, now);
    if (segments) for (const segment of segments) segment.performance?.observe(evaluated, ts, now);
  } else if (record.id !== undefined) {
    const pending = { prediction: record.prediction, scores: record.scores, timestampMs: ts, segments };
    entry.joinBuffer.add(record.id, pending, now);
  }
}

/** Performance windows hold labels by the time they arrived, so a delayed label still counts now. */
export function receiveLabel(entry: JoinParts, label: LabelRecord, now: number): LabelOutcome {
  entry.labels.received++;
  const pending = entry.joinBuffer.take(label.id, now);
  if (!pending || !entry.performance) {
    entry.labels.unmatched++;
    return 'unmatched';
  }
  entry.labels.joined++;
  const ts = Math.min(label.timestampMs ?? now, now);
  const evaluated = evaluation(entry, pending.prediction, label.label, pending.scores);
  entry.performance.observe(evaluated, ts, now);
  entry.estimation?.observeLabel(evaluated, pending.timestampMs, now);
  for (const segment of pending.segments ?? []) {
    segment.performance?.observe(evaluated, ts, now);
    segment.estimation?.observeLabel(evaluated, pending.timestampMs, now);
  }
  entry.performance.recordDelay(Math.max(0, (ts - pending.timestampMs) / 1000));
  return 'joined';
}

/** A numeric score of a thresholded binary classifier becomes a class and its probability. */
function evaluation(
  entry: JoinParts,
  prediction: number | string,
  label: number | string,
  scores?: Record<string, number>,
): Evaluation {
  const config = entry.performanceConfig;
  if (typeof prediction === 'number' && config?.threshold !== undefined && config.positive_class !== undefined) {
    const positive = config.positive_class;
    const negative = config.negative_class ?? 'negative';
    return {
      prediction: prediction >= config.threshold ? positive : negative,
      label,
      scores: { [positive]: prediction },
    };
  }
  return { prediction, label, scores };
}

/** The probability of the predicted class: the highest score (a lone binary score p: max(p, 1 − p)). */
function confidenceOf({ scores }: Evaluation): number | undefined {
  if (!scores) return undefined;
  const values = Object.values(scores).filter(Number.isFinite);
  if (values.length === 0) return undefined;
  const top = Math.max(...values);
  return values.length === 1 ? Math.max(top, 1 - top) : top;
}
