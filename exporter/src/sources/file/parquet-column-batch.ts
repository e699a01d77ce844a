// A batch of Parquet rows counted column by column, for files of feature columns with, optionally,
// `timestamp`, `prediction` and `model_version` columns (the usual shape of an inference log). Each
// row counts as the row path counts it (ParquetRecordCounter's row loop: validateRecord, then
// ModelEntry.recordValues): rows refused or rejected are left out with the same reason, future and
// late rows are counted as such, and the others are grouped into runs of consecutive rows that fall
// in the same slice of every window, each run started at once (ModelWindows.startRecords) and its
// values observed column by column (window/observe-column.ts). Consecutive runs keep the row order,
// so rows in any order give the same counts, bit for bit; sorted rows make long runs.
// A batch whose model_version is not one text throughout, whose `model` column names another model
// than the source's (or none) in any row, or whose prediction has a value of the wrong type, is left
// to the row path (count returns undefined).
import { DEFAULT_RECORD_LIMITS, exceedsBytes } from '../../server/limits.ts';
import { observeCategoryColumn, observeMissing, observeNumberColumn } from '../../window/observe-column.ts';
import { VIOLATION_CODE } from '../../window/observe-column.ts';
import type { SinkModel, SourceSink } from '../source.ts';
import type { ColumnCursor, ParquetBatch } from './file-parquet.ts';
import { FeatureColumnReader, type FeatureValues } from './parquet-feature-columns.ts';
import { INVALID_TIMESTAMP, NO_TIMESTAMP, readTimestamps } from './parquet-timestamps.ts';

export class ColumnBatchCounter {
  private readonly reader: FeatureColumnReader;
  /** The observed slots (features, then the prediction when the file has that column). */
  private readonly observed: number;
  private times = new Float64Array(0);
  /** Each ring's slice number of the current run. */
  private readonly runSlices: Float64Array;
  private readonly limits: { futureToleranceMs: number; longestMs: number; sliceMs: readonly number[] };

  constructor(
    private readonly sink: SourceSink,
    private readonly entry: SinkModel,
    /** The file's columns that are neither record fields nor the model's features. */
    private readonly unknownFeatures: number,
    private readonly hasPrediction: boolean,
    /** The source's model: a `model` column's rows must all name it (or be empty). */
    private readonly model: string,
  ) {
    const { layout } = entry.windows;
    const slots = hasPrediction ? [...layout.features, layout.prediction!] : layout.features;
    this.observed = slots.length;
    this.reader = new FeatureColumnReader(slots, DEFAULT_RECORD_LIMITS.maxValueBytes);
    this.limits = entry.windows.timeLimits;
    this.runSlices = new Float64Array(this.limits.sliceMs.length);
  }

  /** Counts the batch's rows; returns how many were counted as records (late ones too), or undefined for the row path. */
  count(batch: ParquetBatch, now: number): number | undefined {
    const { windows } = this.entry;
    const slots = windows.layout.features;
    const modelVersion = constantModelVersion(batch);
    if (modelVersion === false || !allOf(batch, this.model)) return undefined;
    const timestamps = batch.columns.get('timestamp');
    const length = batch.stop - batch.start;
    if (timestamps && this.times.length < length) this.times = new Float64Array(length);
    const times = timestamps ? this.times : undefined;
    if (timestamps) readTimestamps(timestamps, batch.start, batch.stop, this.times);
    const columns: (ColumnCursor | undefined)[] = slots.map((slot) => batch.columns.get(slot.name));
    if (this.hasPrediction) columns.push(batch.columns.get('prediction'));
    const { refused, accepted, features } = this.reader.read(columns, batch.start, batch.stop, times);
    const prediction = this.hasPrediction ? features[slots.length] : undefined;
    if (prediction && rejectsPrediction(prediction, accepted)) return undefined;
    if (refused > 0) this.sink.countRejected('value_too_long', refused);

    const { kept, counted } = times
      ? this.placeRows(times, accepted, features, now)
      : this.observeBarePredictions(accepted, prediction, now);
    if (kept === 0) return counted;
    // Runs of rows in the same slices, in row order.
    const limits = this.limits;
    const target = windows.columnTarget;
    for (let from = 0; from < kept;) {
      let to = kept;
      let latest = now;
      if (times) {
        latest = times[from];
        for (let i = 0; i < limits.sliceMs.length; i++) this.runSlices[i] = Math.floor(latest / limits.sliceMs[i]);
        for (to = from + 1; to < kept; to++) {
          const ts = times[to];
          if (ts !== latest && !this.sameSlices(ts, limits.sliceMs)) break;
          if (ts > latest) latest = ts;
        }
      }
      // Not late: placeRows left such rows out.
      windows.startRecords(latest, now, modelVersion, to - from);
      const run = to - from;
      features.forEach((feature, i) => {
        if (feature.kind === 'numeric') {
          const flags = feature.violationFlags;
          let violations = 0;
          if (flags) for (let r = from; r < to; r++) violations += flags[r];
          observeNumberColumn(target, i, feature.values, run, violations, from);
        } else if (feature.kind === 'categorical') observeCategoryColumn(target, i, feature.codes, run, from);
        else observeMissing(target, i, run);
      });
      // No prediction column: the model's prediction is missing in every record.
      if (!this.hasPrediction && windows.layout.prediction) observeMissing(target, this.observed, run);
      from = to;
    }
    windows.unknownFeaturesTotal += this.unknownFeatures * kept;
    return counted;
  }

  /**
   * Puts each accepted row's time in `times` as the windows place it, leaving out rows with an
   * invalid timestamp (rejected) and late rows (counted as late), moving the values of the others
   * to the front of every array in row order; counts future rows. Returns how many rows are left
   * and how many count as records (late ones too).
   */
  private placeRows(
    times: Float64Array,
    accepted: number,
    features: FeatureValues[],
    now: number,
  ): { kept: number; counted: number } {
    const { windows } = this.entry;
    const { futureToleranceMs, longestMs } = this.limits;
    const prediction = this.hasPrediction ? features[windows.layout.features.length] : undefined;
    const bare = this.entry.observesBarePredictions && prediction?.kind === 'numeric' ? prediction.values : undefined;
    let invalid = 0;
    let late = 0;
    let kept = 0;
    for (let r = 0; r < accepted; r++) {
      const stamp = times[r];
      if (stamp === INVALID_TIMESTAMP) {
        invalid++;
        continue;
      }
      let ts = stamp === NO_TIMESTAMP ? now : stamp;
      if (ts > now + futureToleranceMs) windows.futureTotal++;
      if (ts > now) ts = now;
      if (ts <= now - longestMs) {
        late++;
        continue;
      }
      if (bare && bare[r] === bare[r])
        this.entry.observeBarePrediction(bare[r], stamp === NO_TIMESTAMP ? undefined : stamp, now);
      times[kept] = ts;
      if (kept !== r) moveRow(features, r, kept);
      kept++;
    }
    if (invalid > 0) this.sink.countRejected('invalid_timestamp', invalid);
    windows.lateTotal += late;
    return { kept, counted: accepted - invalid };
  }

  /** Rows without a timestamp are all placed at now: each prediction goes on as it would alone. */
  private observeBarePredictions(
    accepted: number,
    prediction: FeatureValues | undefined,
    now: number,
  ): { kept: number; counted: number } {
    if (prediction?.kind === 'numeric' && this.entry.observesBarePredictions) {
      const values = prediction.values;
      for (let r = 0; r < accepted; r++)
        if (values[r] === values[r]) this.entry.observeBarePrediction(values[r], undefined, now);
    }
    return { kept: accepted, counted: accepted };
  }

  private sameSlices(ts: number, sliceMs: readonly number[]): boolean {
    for (let i = 0; i < sliceMs.length; i++) if (Math.floor(ts / sliceMs[i]) !== this.runSlices[i]) return false;
    return true;
  }
}

/** Moves row `from`'s values to row `to` in every feature's arrays. */
function moveRow(features: readonly FeatureValues[], from: number, to: number): void {
  for (const feature of features) {
    if (feature.kind === 'numeric') {
      feature.values[to] = feature.values[from];
      if (feature.violationFlags) feature.violationFlags[to] = feature.violationFlags[from];
    } else if (feature.kind === 'categorical') feature.codes[to] = feature.codes[from];
  }
}

/**
 * Whether the row path would reject a row for its prediction (a value neither number nor text, e.g.
 * a boolean or a list): the reader reads such values as a violation. Text that is no number is a
 * violation in both paths, but which is which is the row path's to tell.
 */
function rejectsPrediction(prediction: FeatureValues, accepted: number): boolean {
  if (prediction.kind === 'numeric') return prediction.violations > 0;
  if (prediction.kind !== 'categorical') return false;
  for (let r = 0; r < accepted; r++) if (prediction.codes[r] === VIOLATION_CODE) return true;
  return false;
}

/** Whether every row's `model` (if the file has that column) is `model` or empty (then the source's model). */
function allOf(batch: ParquetBatch, model: string): boolean {
  const column = batch.columns.get('model');
  if (!column) return true;
  let all = true;
  column.forEachSpan(batch.start, batch.stop, (data, from, rowStart, rowEnd) => {
    for (let k = from; k < from + rowEnd - rowStart && all; k++) {
      const value = data[k];
      if (value !== model && value !== null && value !== undefined && value !== '') all = false;
    }
  });
  return all;
}

/**
 * The batch's model_version when every row has the same (undefined: none has one, or there is no
 * such column); false when rows differ or the value is one validateRecord rejects.
 */
function constantModelVersion(batch: ParquetBatch): string | undefined | false {
  const column = batch.columns.get('model_version');
  if (!column) return undefined;
  const NONE = Symbol('none');
  let first: unknown = NONE;
  let same = true;
  let covered = 0;
  column.forEachSpan(batch.start, batch.stop, (data, from, rowStart, rowEnd) => {
    covered += rowEnd - rowStart;
    for (let k = from; k < from + rowEnd - rowStart && same; k++) {
      const raw = data[k];
      const value = raw === null || raw === '' ? undefined : raw;
      if (first === NONE) first = value;
      else if (value !== first) same = false;
    }
  });
  if (covered < batch.stop - batch.start && first !== NONE && first !== undefined) return false;
  if (!same) return false;
  if (first === NONE || first === undefined) return undefined;
  if (typeof first !== 'string' || exceedsBytes(first, DEFAULT_RECORD_LIMITS.maxModelVersionBytes)) return false;
  return first;
}
