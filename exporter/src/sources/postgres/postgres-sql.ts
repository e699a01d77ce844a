// The SQL of the postgres source: the row filter, the watermark bounds, and the COPY that streams
// a read's rows to Node in binary (postgres-rows.ts counts them into per-slice aggregates).
// One scan for all features; the database only filters, casts and sends each value (12 bytes a
// number, the text of a category). Grouping in the database — one grouped SELECT per feature by
// (slice, cell), UNION ALL — was measured at about three times that server CPU: each row and
// feature is one hash-table update; looking categories up in the database (array_position) cost
// it a quarter more than sending their text (see the postgres section of sources/README.md).
import { cellsOf, type Cells } from './postgres-cells.ts';
import type { ModelWindows } from '../../window/model-windows.ts';
import type { FeatureSlot } from '../../window/layout.ts';
import type { PostgresRecordsConfig, PostgresSourceConfig } from './postgres-config.ts';

export interface Query {
  text: string;
  values: unknown[];
}

/** Where a read starts and ends: a sequence or timestamp value as text, exclusive then inclusive. */
export interface Bounds {
  after?: string;
  upTo: string;
}

export interface PlannedSlot {
  slot: FeatureSlot;
  column: string;
  cells: Cells;
}

/** A double-quoted identifier: column and table names are never spliced in as SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The FROM item: a (schema-qualified) table, or the configured query as a subquery. */
export function relationSql(config: PostgresSourceConfig): string {
  if (config.query !== undefined) return `(${config.query.trim().replace(/;\s*$/, '')})`;
  const table = config.table!;
  const dot = table.indexOf('.');
  return dot < 0 ? quoteIdent(table) : `${quoteIdent(table.slice(0, dot))}.${quoteIdent(table.slice(dot + 1))}`;
}

/** Which column feeds each of the model's slots (features and prediction). */
export function planSlots(config: PostgresRecordsConfig, state: ModelWindows): PlannedSlot[] {
  const known = new Set(state.layout.features.map((slot) => slot.name));
  for (const name of Object.keys(config.columns.features)) {
    if (!known.has(name)) {
      throw new Error(`source ${config.name}: columns.features names "${name}", not a feature of model ${state.name}`);
    }
  }
  const planned = state.layout.features.map((slot) => ({
    slot,
    column: config.columns.features[slot.name] ?? slot.name,
    cells: cellsOf(slot),
  }));
  const prediction = state.layout.prediction;
  if (prediction) {
    planned.push({
      slot: prediction,
      column: config.columns.prediction ?? prediction.name,
      cells: cellsOf(prediction),
    });
  }
  return planned;
}

/** A query's bind parameters: `add` keeps a value and returns its placeholder ($n, then the cast). */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

/** The row filter of the COPY read; every value an escaped literal (`literal`), as COPY takes no parameters. */
function filters(
  config: PostgresRecordsConfig,
  literal: (text: string) => string,
  lookbackMs: number,
  bounds: Bounds,
): string[] {
  const cols = config.columns;
  const ts = `t.${quoteIdent(cols.timestamp)}`;
  const where = [`${ts} > now() - ${literal(`${lookbackMs} milliseconds`)}::interval`];
  if (cols.model !== undefined) {
    where.push(`t.${quoteIdent(cols.model)} = ${literal(cols.model_value ?? config.model)}`);
  }
  // Untyped literals: PostgreSQL gives them the column's own type, so an index on it is used.
  const mark = cols.sequence !== undefined ? `t.${quoteIdent(cols.sequence)}` : ts;
  if (bounds.after !== undefined) where.push(`${mark} > ${literal(bounds.after)}`);
  where.push(`${mark} <= ${literal(bounds.upTo)}`);
  return where;
}

/**
 * The end of the next read with a sequence watermark: the highest sequence, and whether the rows
 * after `after` certainly fit in a batch (their sequence span is below it: two index lookups).
 */
export function sequenceSpanQuery(config: PostgresRecordsConfig, after: string | undefined, batch: number): Query {
  const params = new Params();
  const seq = `t.${quoteIdent(config.columns.sequence!)}`;
  const cond = after === undefined ? '' : `WHERE ${seq} > ${params.add(after)}`;
  return {
    text:
      `SELECT max(${seq})::text AS top, (max(${seq}) - min(${seq}) < ${params.add(batch, '::bigint')}) AS fits ` +
      `FROM ${relationSql(config)} AS t ${cond}`,
    values: params.values,
  };
}

/** When they may not fit: the `batch`-th row after `after` ends the read (an index range scan). */
export function sequenceBatchQuery(config: PostgresRecordsConfig, after: string | undefined, batch: number): Query {
  const params = new Params();
  const seq = `t.${quoteIdent(config.columns.sequence!)}`;
  const cond = after === undefined ? '' : `WHERE ${seq} > ${params.add(after)}`;
  return {
    text:
      `SELECT (SELECT ${seq} FROM ${relationSql(config)} AS t ${cond} ORDER BY ${seq} ` +
      `OFFSET ${params.add(batch - 1, '::bigint')} LIMIT 1)::text AS capped`,
    values: params.values,
  };
}

/** The end of the next read with a timestamp watermark: the database's now() minus `settle`. */
export function timestampBoundsQuery(settleMs: number): Query {
  return { text: `SELECT (now() - $1::interval)::text AS top`, values: [`${settleMs} milliseconds`] };
}

/**
 * The rows of a read, streamed in COPY's binary format (postgres-rows.ts counts them): the
 * timestamp, then per planned slot a numeric feature as float8 or a categorical one as text.
 * COPY takes no parameters, so every value is an escaped literal (`literal`: the driver's
 * escapeLiteral).
 */
export function rowsCopyQuery(
  config: PostgresRecordsConfig,
  planned: PlannedSlot[],
  lookbackMs: number,
  bounds: Bounds,
  literal: (text: string) => string,
): string {
  const where = filters(config, literal, lookbackMs, bounds).join(' AND ');
  const columns = [`t.${quoteIdent(config.columns.timestamp)}::timestamptz`];
  for (const { slot, column } of planned) {
    const value = `t.${quoteIdent(column)}`;
    if (slot.type === 'numeric') {
      columns.push(`${value}::float8`);
      continue;
    }
    columns.push(`${value}::text`);
  }
  return (
    `COPY (SELECT ${columns.join(', ')} FROM ${relationSql(config)} AS t WHERE ${where}) ` + `TO STDOUT (FORMAT binary)`
  );
}
