// A model's segments: per segment column, one drift sub-model per kept value (and `__other__`),
// each with its own reference profile and windows. A record is counted by the whole model and
// by the sub-model of its value in each segment column (columns are segmented one by one, not
// crossed).
import { CalibratedThresholds } from '../calibration/calibrated-thresholds.ts';
import type { ModelConfig } from '../config/schema.ts';
import type { Estimator } from '../performance/cbpe-model.ts';
import type { PerformanceWindows } from '../performance/performance-windows.ts';
import type { DriftOptions } from '../report/drift-options.ts';
import { ModelWindows, type ModelStateOptions } from '../window/model-windows.ts';
import type { InferenceRecord } from '../window/record.ts';
import { OTHER_SEGMENT, segmentOf, type SegmentReference } from './segment-profiles.ts';
import { ModelReference } from '../reference/model-reference.ts';

/** What the drift and data-quality families read of a model, or of one of its segments. */
export interface DriftEntry {
  readonly windows: ModelWindows;
  readonly drift: DriftOptions;
  readonly driftShare: number;
  readonly thresholds?: CalibratedThresholds;
  /** The reference each window is compared with. */
  readonly reference: ModelReference;
}

export interface Segment extends DriftEntry {
  /** Realised performance of the segment's records, when the model tracks performance. */
  readonly performance?: PerformanceWindows;
  /** Its label-free estimates, with the model's calibration, when the model estimates. */
  readonly estimation?: Estimator;
  /** The segment column. */
  readonly column: string;
  /** Its value, or `__other__`. */
  readonly value: string;
}

export class SegmentColumn {
  readonly column: string;
  readonly segments: Segment[];
  private readonly byValue = new Map<string, Segment>();
  private readonly kept: ReadonlySet<string>;

  constructor(
    reference: SegmentReference,
    model: ModelConfig,
    drift: DriftOptions,
    windowOptions: ModelStateOptions,
    thresholds: (features: number) => CalibratedThresholds | undefined,
    performance: (windows: ModelWindows) => PerformanceWindows | undefined,
    estimation: () => Estimator | undefined,
  ) {
    this.column = reference.column;
    this.kept = new Set(reference.values.filter((value) => value !== OTHER_SEGMENT));
    this.segments = reference.values.map((value, i) => {
      const windows = new ModelWindows(model.name, reference.profiles[i], windowOptions);
      const segment: Segment = {
        column: reference.column,
        value,
        windows,
        drift,
        driftShare: model.drift.share,
        // A segment value's reference is its own rows, pooled: no seasonal or rolling reference.
        reference: ModelReference.pooled(),
        thresholds: thresholds(windows.layout.features.length),
        performance: performance(windows),
        estimation: estimation(),
      };
      this.byValue.set(value, segment);
      return segment;
    });
  }

  /**
   * Counts the record in its segment (a value outside the kept ones goes to `__other__`, if the
   * reference had any); the segment, for its prediction and label.
   */
  record(record: InferenceRecord, now: number): Segment | undefined {
    const segment = this.byValue.get(segmentOf(record.features[this.column], this.kept));
    segment?.windows.ingest(record, now);
    return segment;
  }
}
