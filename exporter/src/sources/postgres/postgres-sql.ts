// The SQL of the postgres source, and the folding of its answer into per-slice aggregates. The
// database bins every value (thresholds passed as parameters) and groups by time slice, so what
// comes back is O(slices × features × cells) rows, whatever the number of records.
//
// Per feature, one grouped SELECT gives each (slice, cell) its count, the centred sum and sum of
// squares, min and max; a cell (postgres-cells.ts) fixes the PSI bin, fine bin and unusual flag,
// so a row costs one function call per feature. The branches are joined by UNION ALL into one
// statement. One scan for all features was measured and is slower on PostgreSQL 15, because the
// per-row binning and hashing, not reading the table, is the cost (12 numeric features, 500,000
// rows, same run: UNION ALL 1×, unnest of per-row arrays 1.0–1.9×, CROSS JOIN LATERAL 3×,
// GROUPING SETS 6×: every set evaluates every feature's aggregates).
import { cellsOf, type Cells } from './postgres-cells.ts';
import type { FeatureAggregate, ModelWindows } from '../../window/model-windows.ts';
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

export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

/** The row filter shared by the bounds query and the aggregate. */
function filters(config: PostgresRecordsConfig, params: Params, lookbackMs: number, bounds?: Bounds): string[] {
  const cols = config.columns;
  const ts = `t.${quoteIdent(cols.timestamp)}`;
  const where = [`${ts} > now() - ${params.add(`${lookbackMs} milliseconds`, '::interval')}`];
  if (cols.model !== undefined) {
    where.push(`t.${quoteIdent(cols.model)} = ${params.add(cols.model_value ?? config.model)}`);
  }
  if (bounds) {
    // Untyped parameters: PostgreSQL gives them the column's own type, so an index on it is used.
    const mark = cols.sequence !== undefined ? `t.${quoteIdent(cols.sequence)}` : ts;
    if (bounds.after !== undefined) where.push(`${mark} > ${params.add(bounds.after)}`);
    where.push(`${mark} <= ${params.add(bounds.upTo)}`);
  }
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
 * The push-down aggregate of the rows in `bounds`: one grouped SELECT per feature, in one UNION ALL
 * statement (one snapshot, one round trip; PostgreSQL may run the branches in parallel). Each row
 * costs one function call per feature: `width_bucket` on the feature's cell thresholds, or
 * `array_position` in its category list.
 */
export function aggregateQuery(
  config: PostgresRecordsConfig,
  planned: PlannedSlot[],
  sliceMs: number,
  lookbackMs: number,
  bounds: Bounds,
): Query {
  const params = new Params();
  const ts = `t.${quoteIdent(config.columns.timestamp)}`;
  // date_bin is exact (integer microseconds) where floor(epoch * 1000 / slice) rounds.
  const slice = params.add(`${sliceMs} milliseconds`, '::interval');
  const sliceOf = `date_bin(${slice}, ${ts}, 'epoch')`;
  // Grouped by the slice's start; its index is computed once per group, not per row.
  const sliceIndex = `round(date_part('epoch', ${sliceOf}) * 1000 / ${params.add(sliceMs, '::float8')})`;
  const where = filters(config, params, lookbackMs, bounds).join(' AND ');
  const from = `FROM ${relationSql(config)} AS t WHERE ${where}`;
  // The first branch also gives each slice's newest record time (freshness).
  const newest = (k: number): string => (k <= 0 ? `date_part('epoch', max(${ts})) * 1000` : 'NULL::float8');
  const branches = planned.map(({ slot, column, cells }, k) => {
    if (slot.type === 'numeric') {
      const x = `t.${quoteIdent(column)}::float8`;
      const v = `(${x} - ${params.add(slot.centre, '::float8')})`;
      return (
        `SELECT ${k} AS k, ${sliceIndex} AS s, width_bucket(${x}, ${params.add([...cells.thresholds], '::float8[]')}) AS c, ` +
        `count(*)::float8 AS n, sum(${v}) AS sv, sum(${v} * ${v}) AS svv, min(${x}) AS lo, max(${x}) AS hi, ${newest(k)} AS e ` +
        `${from} GROUP BY ${sliceOf}, 3`
      );
    }
    const c = `array_position(${params.add(cells.categories, '::text[]')}, t.${quoteIdent(column)}::text)`;
    return (
      `SELECT ${k} AS k, ${sliceIndex} AS s, ${c} AS c, count(*)::float8 AS n, ` +
      `NULL::float8 AS sv, NULL::float8 AS svv, NULL::float8 AS lo, NULL::float8 AS hi, ${newest(k)} AS e ` +
      `${from} GROUP BY ${sliceOf}, 3`
    );
  });
  // Without features, the rows alone.
  if (branches.length === 0) {
    branches.push(
      `SELECT -1 AS k, ${sliceIndex} AS s, NULL::int AS c, count(*)::float8 AS n, NULL::float8 AS sv, ` +
        `NULL::float8 AS svv, NULL::float8 AS lo, NULL::float8 AS hi, ${newest(-1)} AS e ${from} GROUP BY ${sliceOf}`,
    );
  }
  return { text: branches.join('\nUNION ALL\n'), values: params.values };
}

export interface AggregateRow {
  /** Index of the planned slot (-1: the rows alone). */
  k: number;
  /** Slice index: epoch milliseconds / slice length. */
  s: number;
  /** The cell (see `cellsOf`); null for a NULL value. */
  c: number | null;
  n: number;
  /** Numeric: sum of (x − centre) and of its square, min and max, over the group's rows. */
  sv: number | null;
  svv: number | null;
  lo: number | null;
  hi: number | null;
  /** The newest record's time in the group (epoch ms; first branch only). */
  e: number | null;
}

export interface SliceAggregate {
  /** Time of the slice's newest record (epoch ms). */
  ts: number;
  records: number;
  features: Map<string, FeatureAggregate>;
}

/** Folds the grouped rows into one aggregate per slice, oldest first. */
export function foldAggregates(rows: AggregateRow[], planned: PlannedSlot[]): SliceAggregate[] {
  const slices = new Map<number, SliceAggregate>();
  for (const row of rows) {
    let slice = slices.get(row.s);
    if (!slice) slices.set(row.s, (slice = { ts: -Infinity, records: 0, features: new Map() }));
    if (row.e !== null && row.e > slice.ts) slice.ts = row.e;
    // The first branch counts every row of the slice.
    if (row.k <= 0) slice.records += row.n;
    if (row.k < 0) continue;
    const { slot, cells } = planned[row.k];
    let aggregate = slice.features.get(slot.name);
    if (!aggregate) {
      aggregate = { present: 0, missing: 0, unusual: 0, bins: new Float64Array(slot.binCount) };
      if (slot.type === 'numeric') {
        Object.assign(aggregate, {
          fine: new Float64Array(slot.fineCount),
          fineCentredSums: new Float64Array(slot.fineCount),
          finite: 0,
          centredSum: 0,
          centredSumSquares: 0,
        });
      }
      slice.features.set(slot.name, aggregate);
    }
    const cell = row.c ?? cells.nullCell;
    const bin = cells.bin[cell];
    if (bin < 0) {
      aggregate.missing += row.n;
      continue;
    }
    aggregate.present += row.n;
    (aggregate.bins as Float64Array)[bin] += row.n;
    if (cells.unusual[cell]) aggregate.unusual += row.n;
    if (slot.type !== 'numeric') continue;
    const fine = cells.fine[cell];
    (aggregate.fine as Float64Array)[fine] += row.n;
    // ±Infinity have their own cells: their sums are not counted.
    if (!cells.finite[cell]) continue;
    // A cell lies in one fine bin: its sum is that bin's share of the sums (Wasserstein from bins).
    (aggregate.fineCentredSums as Float64Array)[fine] += row.sv!;
    aggregate.finite! += row.n;
    aggregate.centredSum! += row.sv!;
    aggregate.centredSumSquares! += row.svv!;
    if (!(aggregate.min! <= row.lo!)) aggregate.min = row.lo!;
    if (!(aggregate.max! >= row.hi!)) aggregate.max = row.hi!;
  }
  return [...slices.entries()].sort((a, b) => a[0] - b[0]).map(([, slice]) => slice);
}
