// The SQL of the postgres source, and the folding of its answer into per-slice aggregates. The
// database bins every value (edges passed as parameters) and groups by time slice, so what comes
// back is O(slices × features × bins) rows, whatever the number of records.
//
// Per feature, one grouped SELECT gives each (slice, PSI bin `b` (-1: missing), fine bin `f`,
// unusual flag `u`) its count, finite count, centred sum and sum of squares, min and max; the
// branches are joined by UNION ALL into one statement. (A single scan unpivoting each row with
// CROSS JOIN LATERAL VALUES was tried: PostgreSQL re-initialises the VALUES expressions for every
// row, which made it 6 times slower on a million rows.)
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
  }));
  const prediction = state.layout.prediction;
  if (prediction) planned.push({ slot: prediction, column: config.columns.prediction ?? prediction.name });
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
 * statement (one snapshot, one round trip; PostgreSQL may run the branches in parallel).
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
  const slice = params.add(sliceMs, '::float8');
  const where = filters(config, params, lookbackMs, bounds).join(' AND ');
  const from = `FROM ${relationSql(config)} AS t WHERE ${where}`;
  const epoch = `date_part('epoch', ${ts}) * 1000`;
  // The first branch also gives each slice's newest record time (freshness).
  const branch = (k: number, columns: string): string =>
    `SELECT ${k} AS k, r.s, r.b, r.f, r.u, count(*)::float8 AS n, count(r.v)::float8 AS nf, sum(r.v) AS sv, ` +
    `sum(r.v * r.v) AS svv, min(r.w) AS lo, max(r.w) AS hi, ${k <= 0 ? `max(date_part('epoch', r.at) * 1000)` : 'NULL::float8'} AS e\n` +
    `FROM (SELECT ${ts} AS at, floor(${epoch} / ${slice}) AS s, ${columns} ${from}) AS r\nGROUP BY 2, 3, 4, 5`;
  const branches = planned.map(({ slot, column }, k) => {
    if (slot.type === 'numeric') {
      const c = `t.${quoteIdent(column)}::float8`;
      const missing = `${c} IS NULL OR ${c} = 'NaN'`;
      const finite = `${c} > '-Infinity' AND ${c} < 'Infinity'`;
      const { min, max } = slot.profile;
      const unusual =
        Number.isNaN(min) || Number.isNaN(max)
          ? 'false'
          : `${c} < ${params.add(min, '::float8')} OR ${c} > ${params.add(max, '::float8')}`;
      return branch(
        k,
        `CASE WHEN ${missing} THEN -1 ELSE width_bucket(${c}, ${params.add([...slot.edges], '::float8[]')}) END AS b, ` +
          `CASE WHEN ${missing} THEN NULL ELSE width_bucket(${c}, ${params.add([...slot.fineEdges], '::float8[]')}) END AS f, ` +
          `CASE WHEN ${missing} THEN NULL ELSE ${unusual} END AS u, ` +
          `CASE WHEN ${finite} THEN ${c} - ${params.add(slot.centre, '::float8')} END AS v, ` +
          `CASE WHEN ${finite} THEN ${c} END AS w`,
      );
    }
    const c = `t.${quoteIdent(column)}::text`;
    const top = params.add(slot.profile.top, '::text[]');
    const other = params.add(slot.profile.top.length + 1, '::int');
    const known = params.add(
      slot.profile.categories.map(([category]) => category),
      '::text[]',
    );
    return branch(
      k,
      `CASE WHEN ${c} IS NULL THEN -1 ELSE coalesce(array_position(${top}, ${c}), ${other}) - 1 END AS b, ` +
        `NULL::int AS f, NOT (${c} = ANY(${known})) AS u, NULL::float8 AS v, NULL::float8 AS w`,
    );
  });
  // Every feature branch counts every row (missing ones in b = -1); without features, the rows alone.
  if (branches.length === 0)
    branches.push(branch(-1, '0 AS b, NULL::int AS f, NULL::boolean AS u, NULL::float8 AS v, NULL::float8 AS w'));
  return { text: branches.join('\nUNION ALL\n'), values: params.values };
}

export interface AggregateRow {
  s: number;
  k: number;
  b: number;
  f: number | null;
  u: boolean | null;
  n: number;
  nf: number;
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
    const { slot } = planned[row.k];
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
    if (row.b < 0) {
      aggregate.missing += row.n;
      continue;
    }
    aggregate.present += row.n;
    (aggregate.bins as Float64Array)[row.b] += row.n;
    if (row.u) aggregate.unusual += row.n;
    if (slot.type !== 'numeric') continue;
    if (row.f !== null) {
      (aggregate.fine as Float64Array)[row.f] += row.n;
      // A group holds one fine bin: its sum is that bin's share of the sums (Wasserstein from bins).
      (aggregate.fineCentredSums as Float64Array)[row.f] += row.sv ?? 0;
    }
    aggregate.finite! += row.nf;
    aggregate.centredSum! += row.sv ?? 0;
    aggregate.centredSumSquares! += row.svv ?? 0;
    if (row.lo !== null && !(aggregate.min! <= row.lo)) aggregate.min = row.lo;
    if (row.hi !== null && !(aggregate.max! >= row.hi)) aggregate.max = row.hi;
  }
  return [...slices.entries()].sort((a, b) => a[0] - b[0]).map(([, slice]) => slice);
}
