// The `file` source: inference logs (JSONL, CSV, Parquet) from local files, folders, globs or
// http(s) URLs. Growing JSONL/CSV files are tailed, new files in a folder are picked up, and the
// position in each file is kept under --storage.path so a restart neither loses nor repeats rows.
import { parse as parseCsvLine } from 'csv-parse/sync';
import { csvCell } from '../../io/cell.ts';
import { validateLabel } from '../../records/validate-label.ts';
import { validateRecord } from '../../records/validate-record.ts';
import { parseDuration } from '../../util/duration.ts';
import type { FileSourceConfig } from './file-config.ts';
import { listFiles } from './file-list.ts';
import { openParquet, PARQUET_CHUNK_ROWS, readParquetRows } from './file-parquet.ts';
import { PositionStore, type FilePosition } from './file-positions.ts';
import { rowToRecord } from './file-rows.ts';
import { readNewLines } from './file-text.ts';
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
    const clean = file.split('?')[0].toLowerCase();
    if (clean.endsWith('.csv')) return 'csv';
    if (clean.endsWith('.parquet')) return 'parquet';
    return 'jsonl';
  }

  private async readFile(file: string): Promise<number> {
    const format = this.formatOf(file);
    return format === 'parquet' ? this.readParquet(file) : this.readText(file, format);
  }

  private async readText(file: string, format: 'jsonl' | 'csv'): Promise<number> {
    let position = this.positions.get(file);
    let chunk = await readNewLines(file, position.offset);
    if (chunk.size < position.size || chunk.size < position.offset) {
      // Truncated or replaced under us: start again from its beginning.
      this.context.sink.sourceError(this.name, 'truncated');
      this.headers.delete(file);
      position = { offset: 0, size: 0 };
      chunk = await readNewLines(file, 0);
    }
    let lines = chunk.lines;
    if (format === 'csv' && !this.headers.has(file)) {
      if (position.offset === 0) {
        if (lines.length === 0) return 0;
        this.headers.set(file, parseCsvLine(lines[0])[0] as string[]);
        lines = lines.slice(1);
      } else {
        const first = await readNewLines(file, 0);
        this.headers.set(file, parseCsvLine(first.lines[0])[0] as string[]);
      }
    }
    let counted = 0;
    for (const line of lines) {
      if (line.trim() === '') continue;
      const row = format === 'csv' ? this.csvRow(file, line) : this.jsonRow(line);
      if (row && this.ingestRow(row)) counted++;
    }
    this.positions.set(file, { offset: chunk.nextOffset, size: chunk.size });
    return counted;
  }

  private async readParquet(file: string): Promise<number> {
    const position = this.positions.get(file);
    const { file: buffer, rows } = await openParquet(file);
    if (position.done && rows === position.size) return 0;
    let counted = 0;
    let offset = rows < position.offset ? 0 : position.offset;
    while (offset < rows) {
      const end = Math.min(rows, offset + PARQUET_CHUNK_ROWS);
      for (const row of await readParquetRows(buffer, offset, end)) if (this.ingestRow(row)) counted++;
      offset = end;
      this.positions.set(file, { offset, size: rows, done: offset >= rows });
      await new Promise((resolve) => setImmediate(resolve)); // let scrapes in between chunks
    }
    return counted;
  }

  private csvRow(file: string, line: string): Record<string, unknown> | undefined {
    let cells: string[];
    try {
      cells = parseCsvLine(line)[0] as string[];
    } catch {
      this.context.sink.sourceError(this.name, 'parse');
      return undefined;
    }
    const header = this.headers.get(file)!;
    if (cells.length !== header.length) {
      this.context.sink.sourceError(this.name, 'parse');
      return undefined;
    }
    return Object.fromEntries(header.map((name, i) => [name, csvCell(cells[i])]));
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
    const validation = validateRecord(rowToRecord(row, this.config.model), Infinity);
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

function normaliseLabel(row: Record<string, unknown>): Record<string, unknown> {
  const { id, label, timestamp } = row;
  return { id: typeof id === 'number' ? String(id) : id, label, ...(timestamp === undefined ? {} : { timestamp }) };
}
