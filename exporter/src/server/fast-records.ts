// The records route's fast path for one request: NDJSON lines holding flat records of a known
// model (records/flat-record.ts) are read from the body's bytes and counted as IngestRun.add would
// count them, with no string or object per record; any other line is left to IngestRun.add.
import type { Exporter } from '../exporter.ts';
import type { ModelEntry } from '../model-entry.ts';
import { asciiText, sameAscii } from '../records/byte-table.ts';
import { observePrediction } from '../performance/labels.ts';
import { CATEGORY, FlatRecordScanner, NUMBER, type FlatRecordShape } from '../records/flat-record.ts';
import type { IngestRun } from './ingest.ts';
import type { RecordLimits } from './limits.ts';

/** The features of a record handed to observePrediction, which reads none. */
const NO_FEATURES: Readonly<Record<string, unknown>> = Object.freeze({});

export class FastRecords {
  private readonly scanner: FlatRecordScanner;
  /** The model named by the last record read, by name (a batch usually names one model throughout). */
  private lastName = '';
  private entry: ModelEntry | undefined;
  private lastVersion = '';

  constructor(
    private readonly state: Exporter,
    private readonly run: IngestRun,
    limits: RecordLimits,
  ) {
    this.scanner = new FlatRecordScanner(limits, (bytes, start, end) => this.shapeOf(bytes, start, end));
  }

  /** Counts the record in `bytes[start, end)` when it is a flat one; false leaves the line to IngestRun.add. */
  take(bytes: Uint8Array, start: number, end: number): boolean {
    const scanner = this.scanner;
    if (!scanner.scan(bytes, start, end)) return false;
    const entry = this.entry!;
    const run = this.run;
    run.outcome.namedKnownModel = true;
    const version =
      scanner.versionStart < 0 ? undefined : this.versionText(bytes, scanner.versionStart, scanner.versionEnd);
    const kind = scanner.predictionKind;
    const prediction =
      kind === NUMBER
        ? scanner.predictionNumber
        : kind === CATEGORY
          ? asciiText(bytes, scanner.predictionStart, scanner.predictionEnd)
          : undefined;
    const outcome = entry.windows.ingestFlat(scanner.timestampMs, run.now, version, prediction);
    if (outcome === 'late') run.late++;
    else if (prediction !== undefined && entry.performance) {
      // As ModelEntry.record: the prediction is evaluated (and waits for its label by id).
      const id = scanner.idStart < 0 ? undefined : asciiText(bytes, scanner.idStart, scanner.idEnd);
      const record = {
        model: entry.windows.name,
        features: NO_FEATURES,
        prediction,
        id,
        timestampMs: scanner.timestampMs,
      };
      observePrediction(entry, record, run.now);
    }
    run.outcome.accepted++;
    return true;
  }

  /**
   * The shape of the model named `bytes[start, end)`, when the fast path can count its records:
   * a configured model without segments (a segmented record is routed by its values, in ModelEntry.record).
   */
  private shapeOf(bytes: Uint8Array, start: number, end: number): FlatRecordShape | undefined {
    if (!sameAscii(bytes, start, end, this.lastName)) this.lastName = asciiText(bytes, start, end);
    // Looked up per record, not kept: a reload between two yields may replace the model.
    const entry = this.state.models.get(this.lastName);
    this.entry = entry;
    if (!entry || entry.segments.length > 0) return undefined;
    return entry.windows.flatShape;
  }

  /** The record's model_version: the same string as the last record's when the bytes are the same. */
  private versionText(bytes: Uint8Array, start: number, end: number): string {
    if (!sameAscii(bytes, start, end, this.lastVersion)) this.lastVersion = asciiText(bytes, start, end);
    return this.lastVersion;
  }
}
