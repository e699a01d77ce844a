// Everything the exporter keeps for one configured model, built from its config and profile, and
// the two ways in for data: `record` for an inference record, `receiveLabel` for a delayed label.
// Every path (HTTP API, file, database and demo sources) calls these, after validating.
import { backgroundRunner, type BackgroundRunner } from './calibration/background-runner.ts';
import { CalibratedThresholds } from './calibration/calibrated-thresholds.ts';
import { ModelReference, type TimedRows } from './reference/model-reference.ts';
import { historyShape, RollingReference } from './reference/rolling-reference.ts';
import type { Config, ModelConfig, PerformanceConfig } from './config/schema.ts';
import { CbpeModel, type Estimator } from './performance/cbpe-model.ts';
import { isMulticlass, type EstimationCalibration } from './performance/cbpe-multiclass-calibration.ts';
import { CbpeMulticlassModel } from './performance/cbpe-multiclass-model.ts';
import { ConfidenceHistogram } from './performance/confidence.ts';
import { JoinBuffer } from './performance/join-buffer.ts';
import { observePrediction, receiveLabel, type LabelOutcome, type LabelRecord } from './performance/labels.ts';
import { PerformanceWindows, type Task } from './performance/performance-windows.ts';
import type { Profile } from './profile/types.ts';
import { driftOptions, type DriftOptions } from './report/drift-options.ts';
import { SegmentColumn, type Segment } from './segments/segment-entry.ts';
import type { SegmentReference } from './segments/segment-profiles.ts';
import { parseDuration } from './util/duration.ts';
import { ModelWindows, type IngestOutcome } from './window/model-windows.ts';
import type { InferenceRecord } from './window/record.ts';

export class ModelEntry {
  readonly windows: ModelWindows;
  readonly drift: DriftOptions;
  readonly driftShare: number;
  /** The drift cause (metrics/collect-drift-cause.ts): configured importances (default 1) and bins per drifted feature. */
  readonly importance: ReadonlyMap<string, number>;
  readonly topBins: number;
  /** With `drift.calibration: false_alarm_rate`: the threshold per feature and window size. */
  readonly thresholds?: CalibratedThresholds;
  /** The reference each window is compared with (static or seasonal) and how its windows wander beyond sampling noise. */
  readonly reference: ModelReference;
  /** Absent when the model has no prediction to evaluate. */
  readonly performance?: PerformanceWindows;
  readonly performanceConfig?: PerformanceConfig;
  /** Label-free performance estimation (CBPE), with `performance.estimation`. */
  readonly estimation?: Estimator;
  readonly joinBuffer: JoinBuffer;
  readonly confidence = new ConfidenceHistogram();
  readonly labels = { received: 0, joined: 0, unmatched: 0 };
  /** Drift and data quality per value of each `segments` column. */
  readonly segments: SegmentColumn[];

  /** `definition`: the model's config as JSON: a reload keeps the entry only when it is unchanged. */
  constructor(
    config: Config,
    model: ModelConfig,
    profile: Profile,
    readonly definition?: string,
    calibration?: EstimationCalibration,
    {
      timed,
      runner = backgroundRunner,
      segments = [],
    }: {
      /** The reference rows with their times, when `reference.timestamp` is set. */
      timed?: TimedRows;
      /** Where calibration simulations run; null runs them in line when first needed (a backfill). */
      runner?: BackgroundRunner | null;
      /** One per `segments` column: each value's own reference profile. */
      segments?: readonly SegmentReference[];
    } = {},
  ) {
    const periodMs = model.reference.rolling === undefined ? undefined : parseDuration(model.reference.rolling)!;
    const configuredWindowsMs = model.windows.map((w) => parseDuration(w)!);
    if (periodMs !== undefined && periodMs < Math.max(...configuredWindowsMs)) {
      throw new Error(
        `model ${model.name}: reference.rolling (${model.reference.rolling}) is shorter than its longest window`,
      );
    }
    // Segments compare with their own static reference: no rolling history per segment value.
    const windowOptions = {
      windowsMs: configuredWindowsMs,
      slices: config.ingest.slices,
      futureToleranceMs: parseDuration(config.ingest.future_tolerance)!,
    };
    this.windows = new ModelWindows(model.name, profile, {
      ...windowOptions,
      history: periodMs === undefined ? undefined : historyShape(periodMs, configuredWindowsMs),
    });
    this.drift = driftOptions(model.drift.statistic, model.drift.threshold, model.min_samples);
    this.driftShare = model.drift.share;
    this.importance = new Map((model.features ?? []).map((f) => [f.name, f.importance ?? 1]));
    this.topBins = model.drift.top_bins;
    const windowsMs = this.windows.windows.map((w) => w.ms);
    const rolling =
      periodMs === undefined ? undefined : new RollingReference(periodMs, this.windows, this.drift.minSamples);
    this.reference = ModelReference.build(model, profile, windowsMs, timed, rolling);
    this.thresholds = calibratedThresholds(model, this.drift, this.windows.layout.features.length, runner);
    for (const slot of this.windows.layout.features) {
      for (const ms of windowsMs) {
        const latent = this.reference.latent(slot.name, ms);
        const count = this.reference.profileFor(slot, ms, Date.now()).count;
        this.thresholds?.prepare(slot.profile, { count, latent });
      }
    }
    this.performance = performanceFor(model, profile, this.windows, config.ingest.slices);
    this.performanceConfig = model.performance;
    this.estimation = estimatorFor(model, calibration, this.performance, this.windows, config.ingest.slices);
    // A segment's performance tracks the whole model's classes, so that segments compare; its
    // estimates use the model's calibration (scores mean the same in every segment).
    const newEstimation = () => this.estimation?.fresh();
    this.segments = segments.map(
      (reference) =>
        new SegmentColumn(
          reference,
          model,
          this.drift,
          windowOptions,
          (features) => calibratedThresholds(model, this.drift, features, runner),
          (windows) => performanceFor(model, profile, windows, config.ingest.slices),
          newEstimation,
        ),
    );
    this.joinBuffer = new JoinBuffer(
      model.labels.join_buffer,
      parseDuration(model.labels.max_delay)!,
      config.limits.join_buffer_bytes,
    );
  }

  /** A validated record: counted into the windows and, unless too old for them, into performance. */
  record(record: InferenceRecord, now: number): IngestOutcome {
    const outcome = this.windows.ingest(record, now);
    const segments = this.segments.length > 0 ? segmentsOf(this.segments, record, now) : undefined;
    if (outcome !== 'late') observePrediction(this, record, now, segments);
    return outcome;
  }

  /**
   * `record` for a columnar reader: `fields` is the validated record without its features, which
   * `valueAt` gives slot by slot instead (see ModelWindows.ingestValues).
   */
  recordValues(
    fields: InferenceRecord,
    now: number,
    valueAt: (index: number) => unknown,
    unknownFeatures: number,
  ): IngestOutcome {
    if (this.segments.length > 0) return this.recordSegmented(fields, now, valueAt, unknownFeatures);
    const outcome = this.windows.ingestValues(fields.timestampMs, now, fields.modelVersion, valueAt, unknownFeatures);
    if (outcome !== 'late') observePrediction(this, fields, now);
    return outcome;
  }

  /**
   * Whether a record of only features, a prediction and a time (no id, label or scores) does more
   * than count in the windows: a thresholded score's confidence, or label-free estimation. The
   * Parquet column path then gives each such prediction to observeBarePrediction, row by row.
   */
  get observesBarePredictions(): boolean {
    const thresholded =
      this.performanceConfig?.threshold !== undefined && this.performanceConfig.positive_class !== undefined;
    return this.performance !== undefined && (this.estimation !== undefined || thresholded);
  }

  /** What `record` does beyond the windows with such a record, once it was counted in them (not late). */
  observeBarePrediction(prediction: number | string, timestampMs: number | undefined, now: number): void {
    observePrediction(this, { model: this.windows.name, features: {}, prediction, timestampMs }, now);
  }

  /** A segmented model routes by a feature's value: the columnar reader's record is built whole (its prediction is in `fields`). */
  private recordSegmented(
    fields: InferenceRecord,
    now: number,
    valueAt: (index: number) => unknown,
    unknownFeatures: number,
  ): IngestOutcome {
    const features: Record<string, unknown> = {};
    this.windows.layout.features.forEach((slot, i) => (features[slot.name] = valueAt(i)));
    this.windows.unknownFeaturesTotal += unknownFeatures;
    return this.record({ ...fields, features }, now);
  }

  /** A delayed label for one of the model's earlier predictions. */
  receiveLabel(label: LabelRecord, now: number): LabelOutcome {
    return receiveLabel(this, label, now);
  }
}

/** Counts the record in its segment of each column; those segments, for its prediction and label. */
function segmentsOf(columns: readonly SegmentColumn[], record: InferenceRecord, now: number): Segment[] {
  const found: Segment[] = [];
  for (const column of columns) {
    const segment = column.record(record, now);
    if (segment) found.push(segment);
  }
  return found;
}

function calibratedThresholds(
  model: ModelConfig,
  drift: DriftOptions,
  features: number,
  runner: BackgroundRunner | null,
) {
  if (model.drift.calibration === 'none') return undefined;
  return new CalibratedThresholds({
    runner: runner ?? undefined,
    statistic: drift.statistic,
    falseAlarmRate: model.drift.false_alarm_rate,
    correction: model.drift.correction,
    features,
    minSamples: drift.minSamples,
  });
}

/** CBPE, with `performance.estimation` on a classifier: binary with a positive class, else multiclass. */
function estimatorFor(
  model: ModelConfig,
  calibration: EstimationCalibration | undefined,
  performance: PerformanceWindows | undefined,
  windows: ModelWindows,
  slices: number,
): Estimator | undefined {
  const estimation = model.performance.estimation;
  if (!calibration || !estimation || performance?.task !== 'classification') return undefined;
  if (isMulticlass(calibration)) {
    return new CbpeMulticlassModel(calibration, windows.windows, slices, estimation.min_labelled);
  }
  const positive = model.performance.positive_class;
  return positive === undefined
    ? undefined
    : new CbpeModel(calibration, positive, windows.windows, slices, estimation.min_labelled);
}

/** Performance is tracked when the model has a prediction; its task follows the prediction's type. */
function performanceFor(model: ModelConfig, profile: Profile, windows: ModelWindows, slices: number) {
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
  return new PerformanceWindows({
    task,
    classes,
    maxClasses: model.performance.max_classes,
    positiveClass: model.performance.positive_class,
    windows: windows.windows,
    slices,
  });
}
