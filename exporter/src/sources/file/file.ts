// The `file` source: inference logs (JSONL, CSV, Parquet) from local files, folders, globs or
// http(s) URLs. Growing JSONL/CSV files are tailed, new files in a folder are picked up, and the
// position in each file is kept under --storage.path so a restart neither loses nor repeats rows.
import { open, readFile } from 'node:fs/promises';
import { scalarCell } from '../../io/cell.ts';
import { coerceFeatures, coercePrediction } from '../../io/coerce-record.ts';
import { parseCompleteRecords, parseHeader } from '../../io/csv-records.ts';
import { compressionOf, decompress, withoutCompressionSuffix } from '../../io/decompress.ts';
import { checkHeader } from '../../io/read-table.ts';
import { RESERVED_COLUMNS } from '../../profile/infer.ts';
import { validateLabel } from '../../records/validate-label.ts';
import { validateRecord } from '../../records/validate-record.ts';
import { parseDuration } from '../../util/duration.ts';
import type { FileSourceConfig } from './file-config.ts';
import { isUrl, listFiles } from './file-list.ts';
import { batchRows, forEachParquetBatch, forEachParquetRow, openParquet, type ParquetBatch } from './file-parquet.ts';
import { ParquetRecordCounter } from './parquet-records.ts';
import { PositionStore, type FilePosition } from './file-positions.ts';
import { rowToRecord } from './file-rows.ts';
import { readNewBytes } from './file-text.ts';
import { IntervalRunner } from '../interval-runner.ts';
import type { Source, SourceContext } from '../source.ts';

type Format = 'jsonl' | 'csv' | 'parquet';

export class FileSource implements Source {
  readonly name: string;
  readonly model: string;
  private readonly runner: IntervalRunner;
  private readonly positions: PositionStore;
  /** CSV headers by file, read once from each file's first line. */
  private readonly headers = new Map<string, string[]>();

  constructor(
    readonly config: FileSourceConfig,
    readonly context: SourceContext,
  ) {
    this.name = config.name;
    this.model = config.model;
    this.positions = new PositionStore(context.storagePath, config.name);
    this.runner = new IntervalRunner(parseDuration(config.interval)!, () => this.readOnce());
  }

  start(): void {
    this.runner.start();
  }

  /** Positions change in the same synchronous step as the rows they cover are counted. */
  checkpoint(): unknown {
    return this.positions.all();
  }

  resume(checkpoint: unknown): void {
    this.positions.replaceAll(checkpoint as Record<string, FilePosition>);
    this.headers.clear();
  }

  async stop(): Promise<void> {
    await this.runner.stop();
  }

  /** One pass over every file; errors are reported per file and never escape. */
  async readOnce(): Promise<void> {
    const started = performance.now();
    let records = 0;
    let failure: string | undefined;
    let files: string[] = [];
    try {
      files = listFiles(this.config.path);
    } catch {
      failure = 'list';
    }
    for (const file of files) {
      try {
        records += await this.readFile(file);
      } catch (err) {
        failure = (err as { code?: string }).code === 'ENOENT' ? 'missing' : 'read';
      }
    }
    const report = { durationMs: performance.now() - started, records };
    if (failure) this.context.sink.sourceFailed(this.name, failure, report);
    else this.context.sink.sourceSucceeded(this.name, report);
  }

  private formatOf(file: string): Format {
    if (this.config.format !== 'auto') return this.config.format;
    const clean = withoutCompressionSuffix(file.split('?')[0].toLowerCase());
    if (clean.endsWith('.csv')) return 'csv';
    if (clean.endsWith('.parquet')) return 'parquet';
    return 'jsonl';
  }

  private async readFile(file: string): Promise<number> {
    const format = this.formatOf(file);
    if (format === 'parquet') return this.readParquet(file);
    if (await isCompressed(file)) return this.readCompressed(file, format);
    return format === 'csv' ? this.readCsv(file) : this.readText(file);
  }

  /** A compressed log is read whole when it changes; its position counts the rows already read. */
  private async readCompressed(file: string, format: 'jsonl' | 'csv'): Promise<number> {
    const position = this.positions.get(file);
    const raw = isUrl(file) ? Buffer.from(await (await fetchOk(file)).arrayBuffer()) : await readFile(file);
    if (position.done && raw.length === position.size) return 0;
    const bytes = decompress(raw);
    const rows: Record<string, unknown>[] = [];
    if (format === 'csv') {
      const head = parseHeader(bytes);
      if (head) {
        checkHeader(head.header, file);
        const body = bytes.subarray(head.end);
        const complete =
          body.length > 0 && body[body.length - 1] !== 10 ? Buffer.concat([body, Buffer.from('\n')]) : body;
        const { records, errors } = parseCompleteRecords(complete);
        for (let i = 0; i < errors; i++) this.context.sink.sourceError(this.name, 'parse');
        for (const cells of records) {
          const row = this.csvRow(head.header, cells);
          if (row) rows.push(row);
        }
      }
    } else {
      for (const line of bytes.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        const row = this.jsonRow(line);
        if (row) rows.push(row);
      }
    }
    const skip = raw.length >= position.size ? position.offset : 0;
    let counted = 0;
    for (let i = skip; i < rows.length; i++) if (this.ingestRow(rows[i])) counted++;
    this.positions.set(file, { offset: Math.max(rows.length, skip), size: raw.length, done: true });
    return counted;
  }

  /** The bytes after the stored position; a file that shrank was truncated or replaced: from its start. */
  private async newBytes(file: string): Promise<{ offset: number; bytes: Buffer; size: number }> {
    const position = this.positions.get(file);
    const chunk = await readNewBytes(file, position.offset);
    if (chunk.size >= position.size && chunk.size >= position.offset) return { offset: position.offset, ...chunk };
    this.context.sink.sourceError(this.name, 'truncated');
    this.headers.delete(file);
    return { offset: 0, ...(await readNewBytes(file, 0)) };
  }

  /** New complete CSV records: a quoted field may span lines, so records are not lines. */
  private async readCsv(file: string): Promise<number> {
    const chunk = await this.newBytes(file);
    let { bytes, offset } = chunk;
    let header = this.headers.get(file);
    if (!header) {
      const head = parseHeader(offset === 0 ? bytes : (await readNewBytes(file, 0)).bytes);
      if (!head) return 0;
      checkHeader(head.header, file);
      header = head.header;
      this.headers.set(file, header);
      if (offset === 0) {
        bytes = bytes.subarray(head.end);
        offset = head.end;
      }
    }
    const { records, consumed, errors } = parseCompleteRecords(bytes);
    for (let i = 0; i < errors; i++) this.context.sink.sourceError(this.name, 'parse');
    let counted = 0;
    for (const cells of records) {
      const row = this.csvRow(header, cells);
      if (row && this.ingestRow(row)) counted++;
    }
    this.positions.set(file, { offset: offset + consumed, size: chunk.size });
    return counted;
  }

  /** New complete JSONL lines (a half-written last line waits for the next read). */
  private async readText(file: string): Promise<number> {
    const { offset, bytes, size } = await this.newBytes(file);
    const end = bytes.lastIndexOf(10) + 1;
    let counted = 0;
    for (const line of end > 0
      ? bytes
          .subarray(0, end - 1)
          .toString('utf8')
          .split('\n')
      : []) {
      if (line.trim() === '') continue;
      const row = this.jsonRow(line.replace(/^\ufeff/, ''));
      if (row && this.ingestRow(row)) counted++;
    }
    this.positions.set(file, { offset: offset + end, size });
    return counted;
  }

  private async readParquet(file: string): Promise<number> {
    const position = this.positions.get(file);
    const parquet = await openParquet(file);
    const rows = parquet.rows;
    if (position.done && rows === position.size) return 0;
    let counted = 0;
    const from = rows < position.offset ? 0 : position.offset;
    const decode = this.parquetColumns(parquet.columns);
    const onProgress = (offset: number): void => this.positions.set(file, { offset, size: rows, done: offset >= rows });
    // Flat rows of records: counted from the columns, without an object per row.
    const counter =
      this.config.kind === 'records'
        ? ParquetRecordCounter.for(this.context.sink, this.config.model, parquet.columns)
        : undefined;
    if (counter) {
      // A batch with rows of other models (a `model` column) is read row by row.
      const rowsOf = batchRows(parquet.columns);
      const onRow = (row: Record<string, unknown>): void => {
        if (this.ingestRow(row)) counted++;
      };
      const onBatch = (batch: ParquetBatch): void => {
        const records = counter.count(batch, Date.now());
        if (records === undefined) rowsOf(batch, onRow);
        else counted += records;
      };
      await forEachParquetBatch(parquet, from, decode, onBatch, onProgress);
      return counted;
    }
    const onRow = (row: Record<string, unknown>): void => {
      if (this.ingestRow(row)) counted++;
    };
    await forEachParquetRow(parquet, from, decode, onRow, onProgress);
    return counted;
  }

  /**
   * The Parquet columns a row needs: the record fields and the model's features. A `model` column
   * may send rows to any model: then every column is read.
   */
  private parquetColumns(present: readonly string[]): Set<string> {
    if (this.config.kind === 'labels') return new Set(['id', 'label', 'timestamp']);
    if (present.includes('model')) return new Set(present);
    const columns = new Set([...RESERVED_COLUMNS, 'features']);
    for (const slot of this.context.sink.model(this.config.model)?.windows.slots() ?? []) columns.add(slot.name);
    return columns;
  }

  /** Feature cells stay text until the profile types them; record fields are read as scalars. */
  private csvRow(header: readonly string[], cells: readonly string[]): Record<string, unknown> | undefined {
    if (cells.length !== header.length) {
      this.context.sink.sourceError(this.name, 'parse');
      return undefined;
    }
    const labels = this.config.kind === 'labels';
    return Object.fromEntries(
      header.map((name, i) => [name, labels || RESERVED_COLUMNS.has(name) ? scalarCell(cells[i]) : cells[i]]),
    );
  }

  private jsonRow(line: string): Record<string, unknown> | undefined {
    try {
      const value = JSON.parse(line) as unknown;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // counted below
    }
    this.context.sink.sourceError(this.name, 'parse');
    return undefined;
  }

  /** Counts one row as a record (or a label); a bad row is counted as a rejection, never thrown. */
  private ingestRow(row: Record<string, unknown>): boolean {
    const sink = this.context.sink;
    const now = Date.now();
    if (this.config.kind === 'labels') {
      const validation = validateLabel({ model: this.config.model, ...normaliseLabel(row) });
      if ('rejection' in validation) {
        sink.countRejected(validation.rejection.reason);
        return false;
      }
      sink.receiveLabel(validation.model, validation.label, now);
      return true;
    }
    const record = rowToRecord(row, this.config.model);
    const profile = typeof record.model === 'string' ? sink.model(record.model)?.windows.profile : undefined;
    if (profile) {
      coerceFeatures(record.features as Record<string, unknown>, profile);
      if (record.prediction !== undefined) record.prediction = coercePrediction(record.prediction, profile);
    }
    const validation = validateRecord(record, Infinity);
    if ('rejection' in validation) {
      sink.countRejected(validation.rejection.reason);
      return false;
    }
    const entry = sink.model(validation.record.model);
    if (!entry) {
      sink.countRejected('unknown_model');
      return false;
    }
    entry.record(validation.record, now);
    return true;
  }
}

async function isCompressed(file: string): Promise<boolean> {
  if (/\.(gz|gzip|zst|zstd)(\?|$)/i.test(file)) return true;
  if (isUrl(file)) return false;
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return compressionOf(buffer.subarray(0, bytesRead)) !== undefined;
  } finally {
    await handle.close();
  }
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response;
}

function normaliseLabel(row: Record<string, unknown>): Record<string, unknown> {
  const { id, label, timestamp } = row;
  return { id: typeof id === 'number' ? String(id) : id, label, ...(timestamp === undefined ? {} : { timestamp }) };
}
