// Parquet rows counted column by column: each row's feature values go from the decoded columns
// straight into the model's counters (ModelEntry.recordValues), without a record object per row.
// What a row means is what the row path (rowToRecord, coerceFeatures, validateRecord, record)
// makes of it — the same counts, rejections and reasons, tested side by side — for the files it
// fits: flat rows (no `features` column; a `model` column only on the column path) whose feature
// names are within the limits. The record fields (id, timestamp, prediction, …) still pass
// validateRecord, on a record without features; a file without them skips that step. A file of
// feature columns with at most the `timestamp`, `prediction`, `model_version` and `model` fields
// (for a model without segments) is counted column by column instead (parquet-column-batch.ts):
// each feature's values of a run of rows in the same time slice are observed in one tight loop
// (window/observe-column.ts).
import { asNumber, asText } from '../../io/cell.ts';
import { coercePrediction } from '../../io/coerce-record.ts';
import type { Cell } from '../../io/read-table.ts';
import { RESERVED_COLUMNS } from '../../profile/infer.ts';
import { validateRecord } from '../../records/validate-record.ts';
import { DEFAULT_RECORD_LIMITS, exceedsBytes } from '../../server/limits.ts';
import type { InferenceRecord } from '../../window/record.ts';
import type { SinkModel, SourceSink } from '../source.ts';
import type { ColumnCursor, ParquetBatch } from './file-parquet.ts';
import { ColumnBatchCounter } from './parquet-column-batch.ts';
import { tryJson } from './file-rows.ts';

const NO_FEATURES: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
/** The record fields the column path reads from their columns; any other sends the file to the row path. */
const COLUMN_FIELDS = new Set(['timestamp', 'prediction', 'model_version', 'model']);

export class ParquetRecordCounter {
  /** Per observed slot (features, then the prediction): its column, if the file has it. */
  private readonly featureColumns: (ColumnCursor | undefined)[] = [];
  private readonly values: unknown[];
  private readonly valueAt = (index: number): unknown => this.values[index];

  private constructor(
    private readonly sink: SourceSink,
    private readonly model: string,
    private readonly entry: SinkModel,
    private readonly columns: readonly string[],
    /** The file's columns that are neither record fields nor the model's features. */
    private readonly unknownFeatures: number,
    /** Set when the column path can count the file's rows (see `for`). */
    private readonly columnCounter?: ColumnBatchCounter,
  ) {
    this.values = new Array(entry.windows.slots().length).fill(undefined);
  }

  /**
   * A counter for the file's columns, or undefined when its rows need the row path. A file with a
   * `model` column has one only when the column path fits it, and `count` then leaves the batches
   * with rows of other models to the caller.
   */
  static for(sink: SourceSink, model: string, columns: readonly string[]): ParquetRecordCounter | undefined {
    const entry = sink.model(model);
    if (!entry || columns.includes('features')) return undefined;
    const names = new Set(entry.windows.layout.features.map((slot) => slot.name));
    const others = columns.filter((name) => !RESERVED_COLUMNS.has(name));
    // A name over the limit rejects every row: the row path says so, row by row.
    if (others.some((name) => exceedsBytes(name, DEFAULT_RECORD_LIMITS.maxFeatureNameBytes))) return undefined;
    const unknown = others.filter((name) => !names.has(name)).length;
    const hasPrediction = columns.includes('prediction');
    const prediction = entry.windows.layout.prediction;
    // A prediction is counted like a feature; one that goes on to confidence or estimation must be
    // a number there (a category's text is not kept by the column path).
    const predictionFits =
      !hasPrediction || (prediction !== undefined && (prediction.type === 'numeric' || !entry.observesBarePredictions));
    const columnar =
      entry.segments.length === 0 &&
      predictionFits &&
      columns.every((name) => !RESERVED_COLUMNS.has(name) || COLUMN_FIELDS.has(name));
    if (columns.includes('model') && !columnar) return undefined;
    const counter = columnar ? new ColumnBatchCounter(sink, entry, unknown, hasPrediction, model) : undefined;
    return new ParquetRecordCounter(sink, model, entry, columns, unknown, counter);
  }

  /**
   * Counts the batch's rows; returns how many were counted as records, or undefined (a file with a
   * `model` column only) when the caller must read the batch row by row, each row to its model.
   */
  count(batch: ParquetBatch, now: number): number | undefined {
    const counted = this.columnCounter?.count(batch, now);
    if (counted !== undefined || this.columns.includes('model')) return counted;
    return this.countRows(batch, now);
  }

  /** The row path: each row validated and counted as a record. */
  private countRows(batch: ParquetBatch, now: number): number {
    const { windows } = this.entry;
    const slots = windows.layout.features;
    const profile = windows.profile;
    for (let i = 0; i < slots.length; i++) this.featureColumns[i] = batch.columns.get(slots[i].name);
    const numeric = slots.map((slot) => slot.type === 'numeric');
    const reserved = this.columns.filter((name) => RESERVED_COLUMNS.has(name));
    const reservedColumns = reserved.map((name) => batch.columns.get(name));
    const bare: InferenceRecord = { model: this.model, features: NO_FEATURES };
    const maxValueBytes = DEFAULT_RECORD_LIMITS.maxValueBytes;
    const values = this.values;
    let counted = 0;
    rows: for (let r = batch.start; r < batch.stop; r++) {
      for (let i = 0; i < slots.length; i++) {
        const column = this.featureColumns[i];
        let value = column === undefined ? undefined : column.at(r);
        if (value === undefined || value === '') value = column === undefined ? undefined : null;
        if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          value = numeric[i] ? asNumber(value as Cell) : asText(value as Cell);
        }
        if (typeof value === 'string' && exceedsBytes(value, maxValueBytes)) {
          this.sink.countRejected('value_too_long');
          continue rows;
        }
        values[i] = value;
      }
      let fields = bare;
      if (reserved.length > 0) {
        const raw: Record<string, unknown> = { model: this.model, features: NO_FEATURES };
        for (let k = 0; k < reserved.length; k++) {
          const value = reservedColumns[k]?.at(r);
          if (value === null || value === undefined || value === '') continue;
          raw[reserved[k]] = value;
        }
        if (typeof raw.id === 'number') raw.id = String(raw.id);
        if (typeof raw.scores === 'string') raw.scores = tryJson(raw.scores);
        if (raw.prediction !== undefined) raw.prediction = coercePrediction(raw.prediction, profile);
        const validation = validateRecord(raw, Infinity);
        if ('rejection' in validation) {
          this.sink.countRejected(validation.rejection.reason);
          continue;
        }
        fields = validation.record;
      }
      values[slots.length] = fields.prediction;
      this.entry.recordValues(fields, now, this.valueAt, this.unknownFeatures);
      counted++;
    }
    return counted;
  }
}
