// The SQL of the postgres source's `kind: labels`, and the conversion of its rows into labels.
// Labels are small rows (id, label, time), so unlike records they are read into Node: the rows past
// the watermark, in watermark order, at most `batch_rows` of them per read, in one snapshot.
import type { LabelRecord } from '../../performance/labels.ts';
import type { PostgresLabelsConfig } from './postgres-config.ts';
import { Params, quoteIdent, relationSql, type Query } from './postgres-sql.ts';

/** Where a labels read may go: after the watermark, up to `upTo` when given (timestamp mode). */
export interface LabelRange {
  after?: string;
  upTo?: string;
}

export interface LabelRow {
  id: string | null;
  label: unknown;
  /** The label's time (epoch ms) when a timestamp column is configured. */
  ts: number | null;
  /** The row's watermark value (sequence or timestamp) as text. */
  m: string;
}

/** The watermark column: the sequence when there is one, else the timestamp. */
function markSql(config: PostgresLabelsConfig): string {
  const cols = config.columns;
  return `t.${quoteIdent(cols.sequence ?? cols.timestamp!)}`;
}

/** The filter of the rows a read may see: model, lookback (by timestamp) and the watermark range. */
function labelFilters(config: PostgresLabelsConfig, params: Params, lookbackMs: number, range: LabelRange): string[] {
  const cols = config.columns;
  const mark = markSql(config);
  const where: string[] = [];
  if (cols.timestamp !== undefined) {
    const ts = `t.${quoteIdent(cols.timestamp)}`;
    const recent = `${ts} > now() - ${params.add(`${lookbackMs} milliseconds`, '::interval')}`;
    // With a sequence watermark a label without a time is still read (it takes its arrival time).
    where.push(cols.sequence !== undefined ? `(${ts} IS NULL OR ${recent})` : recent);
  }
  if (cols.model !== undefined) {
    where.push(`t.${quoteIdent(cols.model)} = ${params.add(cols.model_value ?? config.model)}`);
  }
  // Untyped parameters: PostgreSQL gives them the column's own type, so an index on it is used.
  if (range.after !== undefined) where.push(`${mark} > ${params.add(range.after)}`);
  if (range.upTo !== undefined) where.push(`${mark} <= ${params.add(range.upTo)}`);
  where.push(`${mark} IS NOT NULL`);
  return where;
}

/**
 * The end of a batch: the watermark value of the `batch`-th row in range, and whether rows follow
 * it. No row when fewer than `batch` rows are in range (then the read takes them all).
 */
export function labelCapQuery(
  config: PostgresLabelsConfig,
  lookbackMs: number,
  range: LabelRange,
  batch: number,
): Query {
  const params = new Params();
  const mark = markSql(config);
  const where = labelFilters(config, params, lookbackMs, range).join(' AND ');
  const from = `FROM ${relationSql(config)} AS t WHERE ${where}`;
  return {
    text:
      `WITH c AS (SELECT ${mark} AS v ${from} ORDER BY ${mark} OFFSET ${params.add(batch - 1, '::bigint')} LIMIT 1) ` +
      `SELECT c.v::text AS capped, EXISTS (SELECT 1 ${from} AND ${mark} > c.v) AS more FROM c`,
    values: params.values,
  };
}

/** The label rows in range, in watermark order. */
export function labelRowsQuery(config: PostgresLabelsConfig, lookbackMs: number, range: LabelRange): Query {
  const params = new Params();
  const cols = config.columns;
  const mark = markSql(config);
  const where = labelFilters(config, params, lookbackMs, range).join(' AND ');
  const ts =
    cols.timestamp !== undefined ? `date_part('epoch', t.${quoteIdent(cols.timestamp)}) * 1000` : 'NULL::float8';
  return {
    text:
      `SELECT t.${quoteIdent(cols.id)}::text AS id, t.${quoteIdent(cols.label)} AS label, ${ts} AS ts, ` +
      `${mark}::text AS m FROM ${relationSql(config)} AS t WHERE ${where} ORDER BY ${mark}`,
    values: params.values,
  };
}

/** pg's types that arrive as text but are numbers: int8 and numeric. */
const NUMERIC_AS_TEXT = new Set([20, 1700]);

/**
 * A row as a label, or the reason it is rejected (the reasons of POST /api/v1/labels). A number
 * stays a number (int8 and numeric too), text stays text, a boolean becomes `true`/`false`; NaN
 * and other types (dates, arrays, …) are rejected.
 */
export function toLabel(row: LabelRow, labelType: number | undefined): LabelRecord | { rejection: string } {
  if (row.id === null) return { rejection: 'missing' };
  let label = row.label;
  if (label === null || label === undefined) return { rejection: 'missing' };
  if (typeof label === 'boolean') label = String(label);
  else if (typeof label === 'string' && labelType !== undefined && NUMERIC_AS_TEXT.has(labelType)) {
    // An int8 beyond 2^53 stays text, so that a class label keeps every digit.
    const value = Number(label);
    if (!Number.isInteger(value) || Number.isSafeInteger(value)) label = value;
  }
  if (typeof label === 'number' && !Number.isFinite(label)) return { rejection: 'expected_number_or_string' };
  if (typeof label !== 'number' && typeof label !== 'string') return { rejection: 'expected_number_or_string' };
  const record: LabelRecord = { id: row.id, label };
  if (row.ts !== null && Number.isFinite(row.ts)) record.timestampMs = row.ts;
  return record;
}
