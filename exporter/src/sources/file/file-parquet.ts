// Parquet rows from a local file or an http(s) URL (range requests through hyparquet, so only the
// footer and the needed column chunks travel). Row groups are read one at a time and only the
// columns the models use are decoded; they are handed out as columns (parquet-records.ts counts
// them without a record object per row) or row by row in a single reused object.
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { PARQUET_COMPRESSORS } from '../../io/parquet-compressors.ts';
import { isUrl } from './file-list.ts';

/** Rows between two yields to the event loop (scrapes get in between). */
export const PARQUET_CHUNK_ROWS = 50_000;

export interface ParquetFile {
  file: AsyncBuffer;
  metadata: FileMetaData;
  rows: number;
  /** Top-level column names, in schema order. */
  columns: string[];
}

/** Date's largest time value: beyond it `new Date(ms)` is an invalid date (its time NaN). */
const MAX_DATE_MS = 8.64e15;

/** The epoch milliseconds of `new Date(ms)`, without the Date. */
function dateMs(ms: number): number {
  return Math.abs(ms) > MAX_DATE_MS ? NaN : ms;
}

/**
 * Timestamps and dates decoded as epoch milliseconds, not a Date each: the numbers that hyparquet's
 * default parsers' Dates give through getTime() (as ColumnCursor.at reads them), for a fraction of
 * the cost. The row path and the column path read the same numbers.
 */
export const EPOCH_MS_PARSERS = {
  timestampFromMilliseconds: (millis: bigint): number => dateMs(Number(millis)),
  timestampFromMicroseconds: (micros: bigint): number => dateMs(Number(micros / 1000n)),
  timestampFromNanoseconds: (nanos: bigint): number => dateMs(Number(nanos / 1000000n)),
  dateFromDays: (days: number): number => dateMs(days * 86400000),
};

/** hyparquet, loaded on first use: an exporter that reads no Parquet never holds it in memory. */
const hyparquet = () => import('hyparquet');

export async function openParquet(path: string): Promise<ParquetFile> {
  const { asyncBufferFromFile, asyncBufferFromUrl, parquetMetadataAsync, parquetSchema } = await hyparquet();
  const file = isUrl(path) ? await asyncBufferFromUrl({ url: path }) : await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  return { file, metadata, rows: Number(metadata.num_rows), columns };
}

/** One decoded column of a row range: its chunks as hyparquet gives them, and where each starts. */
export class ColumnCursor {
  private readonly chunks: { start: number; data: ArrayLike<unknown> }[] = [];
  private current = 0;

  add(start: number, data: ArrayLike<unknown>): void {
    this.chunks.push({ start, data });
  }

  /** Once every chunk is in: chunks may come in any order. */
  ready(): this {
    this.chunks.sort((a, b) => a.start - b.start);
    return this;
  }

  /**
   * Calls `each(data, from, rowStart, rowEnd)` for the rows `start` to `stop` that chunks hold, in row
   * order: `data[from]` is the value of row `rowStart`. Rows no chunk holds are left out.
   */
  forEachSpan(
    start: number,
    stop: number,
    each: (data: ArrayLike<unknown>, from: number, rowStart: number, rowEnd: number) => void,
  ): void {
    for (const chunk of this.chunks) {
      const rowStart = Math.max(start, chunk.start);
      const rowEnd = Math.min(stop, chunk.start + chunk.data.length);
      if (rowStart < rowEnd) each(chunk.data, rowStart - chunk.start, rowStart, rowEnd);
    }
  }

  /**
   * The value at `row`; rows are asked for in increasing order. INT64 values come as numbers, as
   * the CLI's reader gives them, and timestamps as epoch milliseconds (hyparquet: BigInt, Date).
   */
  at(row: number): unknown {
    const chunks = this.chunks;
    while (this.current < chunks.length - 1 && row >= chunks[this.current + 1].start) this.current++;
    const chunk = chunks[this.current];
    const value = chunk ? chunk.data[row - chunk.start] : undefined;
    if (typeof value === 'bigint') return Number(value);
    return value instanceof Date ? value.getTime() : value;
  }
}

/** Rows `start` (inclusive) to `stop` of a row group, with a cursor for each decoded column. */
export interface ParquetBatch {
  start: number;
  stop: number;
  columns: ReadonlyMap<string, ColumnCursor>;
}

/**
 * Calls `onBatch` for rows `from` to the end of the file, at most `PARQUET_CHUNK_ROWS` rows at a
 * time, with the `decode` columns of each row group, decoded once per group. After each batch,
 * `onProgress(next row)` runs and the event loop gets a turn.
 */
export async function forEachParquetBatch(
  parquet: ParquetFile,
  from: number,
  decode: ReadonlySet<string>,
  onBatch: (batch: ParquetBatch) => void,
  onProgress: (nextRow: number) => void,
): Promise<void> {
  const { parquetRead } = await hyparquet();
  const wanted = parquet.columns.filter((name) => decode.has(name));
  let groupStart = 0;
  for (const group of parquet.metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    const start = Math.max(from, groupStart);
    if (start < groupEnd) {
      const columns = new Map(wanted.map((name) => [name, new ColumnCursor()]));
      if (wanted.length > 0) {
        await parquetRead({
          file: parquet.file,
          metadata: parquet.metadata,
          columns: wanted,
          compressors: PARQUET_COMPRESSORS,
          parsers: EPOCH_MS_PARSERS,
          rowStart: start,
          rowEnd: groupEnd,
          onChunk: ({ columnName, columnData, rowStart }) => columns.get(columnName)?.add(rowStart, columnData),
        });
      }
      for (const cursor of columns.values()) cursor.ready();
      for (let next = start; next < groupEnd;) {
        const stop = Math.min(groupEnd, next + PARQUET_CHUNK_ROWS);
        onBatch({ start: next, stop, columns });
        next = stop;
        onProgress(next);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    groupStart = groupEnd;
  }
}

/**
 * Calls `onRow` for rows `from` to the end of the file with one reused object holding every column:
 * the `decode` columns with their values, the others as null (present, not read).
 */
export async function forEachParquetRow(
  parquet: ParquetFile,
  from: number,
  decode: ReadonlySet<string>,
  onRow: (row: Record<string, unknown>) => void,
  onProgress: (nextRow: number) => void,
): Promise<void> {
  const onBatch = batchRows(parquet.columns);
  await forEachParquetBatch(parquet, from, decode, (batch) => onBatch(batch, onRow), onProgress);
}

/**
 * Calls `onRow` for each row of a batch with one reused object holding every column of the file:
 * the decoded columns with their values, the others as null (present, not read).
 */
export function batchRows(
  fileColumns: readonly string[],
): (batch: ParquetBatch, onRow: (row: Record<string, unknown>) => void) => void {
  const row: Record<string, unknown> = Object.fromEntries(fileColumns.map((name) => [name, null]));
  return ({ start, stop, columns }, onRow) => {
    const cursors = [...columns.entries()];
    for (let r = start; r < stop; r++) {
      for (const [name, cursor] of cursors) row[name] = cursor.at(r) ?? null;
      onRow(row);
    }
  };
}
