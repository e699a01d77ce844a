// The probe's inputs read from disk: health-probe payloads (JSONL) and the labelled golden set
// (JSONL or CSV). Read once, at the first probe; a file that cannot be read is retried each interval.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { ProbeSourceConfig } from './probe-config.ts';

type GoldenConfig = NonNullable<ProbeSourceConfig['golden']>;

export interface GoldenRow {
  /** The request body to send. */
  body: unknown;
  /** The expected answer: a class key (classification) or a number (regression). */
  label: string | number;
}

export interface GoldenSet {
  rows: GoldenRow[];
  /** Rows left out: invalid JSON, no input, a label missing or (regression) not a number. */
  skipped: number;
}

/** One JSON value a line; blank lines are skipped; a bad line is an error naming it. */
export async function readPayloads(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  const payloads: unknown[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      payloads.push(JSON.parse(line));
    } catch {
      throw new Error(`${path}:${i + 1}: not JSON`);
    }
  });
  if (payloads.length === 0) throw new Error(`${path}: no payloads`);
  return payloads;
}

export async function readGolden(config: GoldenConfig): Promise<GoldenSet> {
  const text = await readFile(config.path, 'utf8');
  const format = config.format === 'auto' ? (/\.csv$/i.test(config.path) ? 'csv' : 'jsonl') : config.format;
  const raw = format === 'csv' ? csvRows(text, config.label_field) : jsonlRows(text, config);
  const rows: GoldenRow[] = [];
  let skipped = 0;
  for (const row of raw) {
    const label = goldenLabel(row?.label, config.task);
    if (row === undefined || row.input === undefined || label === undefined) {
      skipped++;
      continue;
    }
    rows.push({ body: config.body_field ? { [config.body_field]: row.input } : row.input, label });
  }
  if (rows.length === 0) throw new Error(`${config.path}: no usable golden rows (${skipped} skipped)`);
  return { rows, skipped };
}

type RawRow = { input: unknown; label: unknown } | undefined;

function jsonlRows(text: string, config: GoldenConfig): RawRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        const value = JSON.parse(line) as Record<string, unknown>;
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
        return { input: value[config.input_field], label: value[config.label_field] };
      } catch {
        return undefined;
      }
    });
}

/** CSV with a header: the label column is the answer, the other columns the input object. */
function csvRows(text: string, labelColumn: string): RawRow[] {
  const records = parse(text, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<
    string,
    string
  >[];
  return records.map((record) => {
    const input: Record<string, string | number | null> = {};
    for (const [key, cell] of Object.entries(record)) {
      if (key !== labelColumn) input[key] = csvCell(cell);
    }
    return { input, label: record[labelColumn] };
  });
}

/** A CSV cell as JSON would carry it: a number when it reads as one, null when empty. */
function csvCell(cell: string | undefined): string | number | null {
  if (cell === undefined || cell === '') return null;
  const n = Number(cell);
  return Number.isFinite(n) && cell.trim() !== '' ? n : cell;
}

function goldenLabel(value: unknown, task: GoldenConfig['task']): string | number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (task === 'regression') {
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  return classKey(value);
}

/**
 * A class as a comparable key: strings as they are, except that numeric spellings are normalised
 * ("1", "1.0" and 1 are the same class), so CSV text labels match JSON number predictions.
 */
export function classKey(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? String(n) : value;
}
