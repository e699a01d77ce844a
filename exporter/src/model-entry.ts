// Everything the exporter keeps for one configured model, built from its config and profile.
import type { Config, ModelConfig } from './config/schema.ts';
import { ConfidenceHistogram } from './performance/confidence.ts';
import { JoinBuffer } from './performance/join-buffer.ts';
import { PerformanceState, type Task } from './performance/performance-state.ts';
import type { Profile } from './profile/types.ts';
import { driftOptions } from './report/drift-options.ts';
import type { ModelEntry } from './state.ts';
import { parseDuration } from './util/duration.ts';
import { ModelState } from './window/model-state.ts';

export function createModelEntry(config: Config, model: ModelConfig, profile: Profile): ModelEntry {
  const state = new ModelState(model.name, profile, {
    windowsMs: model.windows.map((w) => parseDuration(w)!),
    slices: config.ingest.slices,
    futureToleranceMs: parseDuration(config.ingest.future_tolerance)!,
  });
  return {
    state,
    drift: driftOptions(model.drift.statistic, model.drift.threshold, model.min_samples),
    driftShare: model.drift.share,
    performance: performanceFor(model, profile, state, config.ingest.slices),
    performanceConfig: model.performance,
    confidence: new ConfidenceHistogram(),
    joinBuffer: new JoinBuffer(
      model.labels.join_buffer,
      parseDuration(model.labels.max_delay)!,
      config.limits.join_buffer_bytes,
    ),
    labels: { received: 0, joined: 0, unmatched: 0 },
  };
}

/** Performance is tracked when the model has a prediction; its task follows the prediction's type. */
function performanceFor(model: ModelConfig, profile: Profile, state: ModelState, slices: number) {
  const prediction = profile.prediction;
  if (!prediction) return undefined;
  const thresholded = model.performance.threshold !== undefined;
  const task: Task =
    model.performance.task ?? (prediction.type === 'categorical' || thresholded ? 'classification' : 'regression');
  const classes =
    prediction.type === 'categorical'
      ? prediction.top
      : [model.performance.positive_class, model.performance.negative_class].filter(
          (c): c is string => c !== undefined,
        );
  return new PerformanceState({
    task,
    classes,
    maxClasses: model.performance.max_classes,
    positiveClass: model.performance.positive_class,
    windows: state.windows,
    slices,
  });
}
