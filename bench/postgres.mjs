// PostgreSQL source: drift over a 5-million-row window, three ways on the same table in one run:
//   1. push-down — the postgres source's own read: PostgreSQL bins every value per time slice and
//      returns only the counts (a few thousand rows);
//   2. cursor — every row streamed into Node with a server-side cursor (DECLARE … CURSOR, FETCH
//      10000 at a time) and counted there by the exporter's per-record path (ModelWindows.ingest);
//   3. floor — one aggregate pass over the same rows and columns: `count(*)`, `sum(x)`,
//      `sum(level)`, `sum(length(color))` with the source's row filter; a bare `count(*)` beside it.
// It also prints the plan of the push-down (EXPLAIN ANALYZE), kept in bench/out/postgres-plan.txt.
// The table has 2 numeric features and 1 categorical one (the reference of the tests). A throwaway
// PostgreSQL 15 cluster is started for the run (Debian's binaries, as the `postgres` user).
//   node --import tsx bench/postgres.mjs [--rows 5000000] [--runs 3]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseConfig } from '../exporter/src/config/load.ts';
import { renderMetrics } from '../exporter/src/metrics/collect.ts';
import { startState } from '../exporter/src/startup.ts';
import { aggregateQuery, planSlots } from '../exporter/src/sources/postgres/postgres-sql.ts';
import { startPostgres } from '../testkit/postgres.ts';
import { median } from './lib/synthetic.mjs';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '5000000' }, runs: { type: 'string', default: '3' } },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const REFERENCE = fileURLToPath(new URL('../exporter/test/fixtures/reference.csv', import.meta.url));
const seconds = (started) => Number(process.hrtime.bigint() - started) / 1e9;

const server = await startPostgres();
try {
  await server.createDatabase('bench');
  const db = await server.connect('bench');
  await db.query(`CREATE TABLE inferences (
    id bigserial PRIMARY KEY, ts timestamptz NOT NULL, x double precision, level double precision, color text)`);
  let started = process.hrtime.bigint();
  await db.query(
    `INSERT INTO inferences (ts, x, level, color)
     SELECT now() - (g % 3000) * interval '1 second',
       CASE WHEN g % 997 = 0 THEN NULL ELSE round((sin(g) * 1.6 + 0.3)::numeric, 3)::float8 END,
       ((g * 7) % 6)::float8,
       (ARRAY['red', 'green', 'blue', 'yellow', 'purple', 'red'])[1 + g % 6]
     FROM generate_series(1, $1::int) AS g`,
    [ROWS],
  );
  await db.query('VACUUM ANALYZE inferences');
  console.log(`${ROWS.toLocaleString('en')} rows generated in ${seconds(started).toFixed(1)} s`);

  const yaml = `
models:
  - name: bench
    reference: { path: ${REFERENCE} }
    windows: [1h]
sources:
  - type: postgres
    name: pg
    model: bench
    connection: { host: ${server.host}, port: ${server.port}, database: bench, user: mlmon, password_env: MLMON_BENCH_PG_PASSWORD }
    table: inferences
    columns: { timestamp: ts, sequence: id }
`;
  process.env.MLMON_BENCH_PG_PASSWORD = server.password;
  await db.query('GRANT SELECT ON inferences TO mlmon');
  const psiOf = (state) =>
    Number(/^mlmon_feature_psi\{model="bench",feature="x",window="1h"\} (\S+)$/m.exec(renderMetrics(state))[1]);

  // 1. Push-down: the source's real read, on a fresh state and watermark each run.
  const pushdown = [];
  let pushdownPsi;
  for (let run = 0; run < RUNS; run++) {
    const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-bench-pg-'));
    const { state, sources } = await startState(parseConfig(yaml, 'bench.yml'), { storagePath });
    started = process.hrtime.bigint();
    const result = await sources[0].read();
    pushdown.push(seconds(started));
    if (result.records !== ROWS) throw new Error(`push-down read ${JSON.stringify(result)}`);
    pushdownPsi = psiOf(state);
    await sources[0].stop();
    rmSync(storagePath, { recursive: true, force: true });
  }

  // 3. Floor: one aggregate pass reading every feature column of the same rows; a bare count(*).
  const floor = [];
  const count = [];
  for (let run = 0; run < RUNS; run++) {
    started = process.hrtime.bigint();
    const { rows } = await db.query(
      `SELECT count(*)::int AS n, sum(x), sum(level), sum(length(color)) FROM inferences
       WHERE ts > now() - interval '1 hour'`,
    );
    floor.push(seconds(started));
    if (rows[0].n !== ROWS) throw new Error(`count(*) = ${rows[0].n}`);
    started = process.hrtime.bigint();
    await db.query('SELECT count(*) FROM inferences');
    count.push(seconds(started));
  }

  // The push-down's plan, as the source sends it (all rows: no watermark yet).
  const config = parseConfig(yaml, 'bench.yml');
  const { state: planState } = await startState({ ...config, sources: [] });
  const planModel = planState.models.get('bench').windows;
  const aq = aggregateQuery(
    config.sources[0],
    planSlots(config.sources[0], planModel),
    planModel.finestSliceMs,
    3_600_000,
    {
      upTo: String(ROWS),
    },
  );
  const plan = (await db.query(`EXPLAIN (ANALYZE, COSTS OFF) ${aq.text}`, aq.values)).rows
    .map((row) => row['QUERY PLAN'])
    .join('\n');

  // 2. Cursor: every row into Node, FETCH 10000 at a time, counted by ModelWindows.ingest.
  const { state } = await startState({ ...parseConfig(yaml, 'bench.yml'), sources: [] });
  const model = state.models.get('bench').windows;
  started = process.hrtime.bigint();
  await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  await db.query(
    `DECLARE rows NO SCROLL CURSOR FOR
     SELECT ts, x, level, color FROM inferences WHERE ts > now() - interval '1 hour'`,
  );
  let streamed = 0;
  for (;;) {
    const { rows } = await db.query('FETCH 10000 FROM rows');
    if (rows.length === 0) break;
    const now = Date.now();
    for (const row of rows) {
      model.ingest(
        { model: 'bench', features: { x: row.x, level: row.level, color: row.color }, timestampMs: row.ts.getTime() },
        now,
      );
    }
    streamed += rows.length;
  }
  await db.query('COMMIT');
  const cursor = seconds(started);
  if (streamed !== ROWS) throw new Error(`cursor streamed ${streamed}`);
  const cursorPsi = psiOf(state);
  await db.end();

  const p = median(pushdown);
  const f = median(floor);
  const c = median(count);
  const result = {
    rows: ROWS,
    features: { numeric: 2, categorical: 1 },
    pushdown_seconds: p,
    cursor_seconds: cursor,
    floor_seconds: f,
    count_seconds: c,
    pushdown_over_floor: p / f,
    cursor_over_floor: cursor / f,
    cursor_over_pushdown: cursor / p,
    psi_x: { pushdown: pushdownPsi, cursor: cursorPsi },
    runs: { pushdown, floor, count, cursor: [cursor] },
  };
  const fmt = (s) => `${s.toFixed(2)} s`.padStart(9);
  console.log(`\ndrift over ${ROWS.toLocaleString('en')} rows (2 numeric + 1 categorical feature, 1h window)`);
  console.log(`  push-down aggregation ${fmt(p)}   ${(p / f).toFixed(1)}× the floor   (median of ${RUNS})`);
  console.log(
    `  cursor into Node      ${fmt(cursor)}   ${(cursor / f).toFixed(1)}× the floor   ${(cursor / p).toFixed(1)}× push-down`,
  );
  console.log(
    `  floor: count(*), sum(x), sum(level), sum(length(color)) of the same rows ${fmt(f)}   (median of ${RUNS})`,
  );
  console.log(`  bare SELECT count(*) of the table ${fmt(c)}   (median of ${RUNS})`);
  console.log(`  PSI of x: push-down ${pushdownPsi}, cursor ${cursorPsi}`);
  if (Math.abs(pushdownPsi - cursorPsi) > 1e-9 * Math.abs(cursorPsi)) throw new Error('the two paths disagree');
  mkdirSync('bench/out', { recursive: true });
  writeFileSync('bench/out/postgres.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/out/postgres-plan.txt', `${plan}\n`);
} finally {
  await server.destroy();
}
