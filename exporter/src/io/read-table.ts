// Reads a CSV, JSONL or Parquet file (gzip or zstd compressed or not) into columns. Used for
// reference data and by the CLI. CSV cells stay text (or a number where the text is that number's
// canonical spelling, csv-columns.ts): a feature's type decides what they mean (cell.ts), so that
// zip codes keep their digits and `NA` is missing in a numeric column.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { regularCsvColumns } from './csv-columns.ts';
import { parseHeader } from './csv-records.ts';
import { decompress, withoutCompressionSuffix } from './decompress.ts';
import { PARQUET_COMPRESSORS } from './parquet-compressors.ts';

export type Cell = number | string | boolean | null | undefined;
export interface Table {
  columns: Map<string, Cell[]>;
  rowCount: number;
}
export type TableFormat = 'csv' | 'jsonl' | 'parquet';

export class InputError extends Error {}

export function formatOf(path: string): TableFormat | 'profile' | undefined {
  const ext = extname(withoutCompressionSuffix(path)).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.parquet') return 'parquet';
  if (ext === '.json') return 'profile';
  return undefined;
}

export async function readTable(path: string, format: TableFormat): Promise<Table> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    bytes = decompress(bytes);
  } catch (err) {
    throw new InputError(`${path}: cannot decompress: ${(err as Error).message}`);
  }
  if (format === 'csv') return readCsv(bytes, path);
  if (format === 'jsonl') return fromRows(readJsonl(bytes.toString('utf8').replace(/^\ufeff/, ''), path));
  return readParquet(bytes, path);
}

const BOM = [0xef, 0xbb, 0xbf];

function readCsv(bytes: Buffer, path: string): Table {
  const body = BOM.every((b, i) => bytes[i] === b) ? bytes.subarray(BOM.length) : bytes;
  const head = parseHeader(body.subarray(0, 1 << 20));
  const fast = head && regularCsvColumns(body, head.end, head.header);
  if (head && fast) {
    checkHeader(head.header, path);
    return fast;
  }
  const text = body.toString('utf8');
  let rows: string[][];
  try {
    rows = parseCsv(text, { skip_empty_lines: true, relax_column_count: false });
  } catch (err) {
    throw new InputError(`${path}: invalid CSV: ${(err as Error).message}`);
  }
  if (rows.length === 0) throw new InputError(`${path}: empty CSV (no header row)`);
  const header = rows[0];
  checkHeader(header, path);
  const columns = new Map<string, Cell[]>(header.map((name) => [name, new Array(rows.length - 1)]));
  const lists = header.map((name) => columns.get(name)!);
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < lists.length; c++) lists[c][r - 1] = row[c];
  }
  return { columns, rowCount: rows.length - 1 };
}

/** A repeated column name would silently hide one of the columns: refuse it by name. */
export function checkHeader(header: readonly string[], path: string): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new InputError(`${path}: the column "${name}" appears twice in the header`);
    seen.add(name);
  }
}

function readJsonl(text: string, path: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new InputError(`${path}:${i + 1}: invalid JSON: ${(err as Error).message}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(`${path}:${i + 1}: each line must be a JSON object`);
    }
    // Inference logs often nest the inputs under "features", as the ingest API does.
    const record = value as Record<string, unknown>;
    const features = record.features;
    rows.push(
      features && typeof features === 'object' && !Array.isArray(features)
        ? { ...(features as Record<string, unknown>), ...withoutFeatures(record) }
        : record,
    );
  }
  return rows;
}

function withoutFeatures(record: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...record };
  delete rest.features;
  return rest;
}

/**
 * A Parquet file column by column (hyparquet's decoded column chunks), without an object per row:
 * each cell is what the row reader gives for it (toCell), in row order. Files with nested columns
 * (structs, lists) are read as rows, which assemble them.
 */
async function readParquet(bytes: Buffer, path: string): Promise<Table> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    // Loaded only when a Parquet file is read.
    const { parquetMetadata, parquetRead, parquetReadObjects, parquetSchema } = await import('hyparquet');
    const metadata = parquetMetadata(file);
    const fields = parquetSchema(metadata).children;
    if (fields.some((field) => field.children.length > 0)) {
      const rows = await parquetReadObjects({ file, metadata, compressors: PARQUET_COMPRESSORS });
      return fromRows(rows as Record<string, unknown>[]);
    }
    const rowCount = Number(metadata.num_rows);
    const columns = new Map<string, Cell[]>(
      fields.map((field) => [field.element.name, new Array<Cell>(rowCount).fill(null)]),
    );
    // Chunks are converted once all are read, so that an error is this file's, not an uncaught one.
    const chunks: { columnName: string; columnData: ArrayLike<unknown>; rowStart: number }[] = [];
    await parquetRead({
      file,
      metadata,
      compressors: PARQUET_COMPRESSORS,
      onChunk: (chunk) => chunks.push(chunk),
    });
    for (const { columnName, columnData, rowStart } of chunks) {
      const column = columns.get(columnName);
      if (!column) continue;
      const end = Math.min(columnData.length, rowCount - rowStart);
      for (let i = 0; i < end; i++) column[rowStart + i] = toCell(columnData[i]);
    }
    return { columns, rowCount };
  } catch (err) {
    throw new InputError(`${path}: invalid Parquet: ${(err as Error).message}`);
  }
}

function fromRows(rows: Record<string, unknown>[]): Table {
  const columns = new Map<string, Cell[]>();
  rows.forEach((row, index) => {
    for (const [key, value] of Object.entries(row)) {
      let column = columns.get(key);
      if (!column) {
        column = new Array(rows.length).fill(null);
        columns.set(key, column);
      }
      column[index] = toCell(value);
    }
  });
  return { columns, rowCount: rows.length };
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  // Nested values are not features; keep them visible as text (int64 inside them as numbers).
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? Number(inner) : inner));
}
