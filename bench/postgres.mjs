// PostgreSQL source: drift over a 5-million-row window, three ways on the same table in one run:
//   1. push-down — the postgres source's own read: PostgreSQL bins every value per time slice and
//      returns only the counts (a few thousand rows);
//   2. cursor — every row streamed into Node with a server-side cursor (DECLARE … CURSOR, FETCH
//      10000 at a time) and counted there by the exporter's per-record path (ModelWindows.ingest);
//   3. floor — one aggregate pass over the same rows and columns: `count(*)`, `sum(x)`,
//      `sum(level)`, `sum(length(color))` with the source's row filter; a bare `count(*)` beside it.
// It also keeps the plans of the push-down and the floor (EXPLAIN (ANALYZE, BUFFERS)) in
// bench/out/postgres-plan.txt.
// The table has 2 numeric features and 1 categorical one (the reference of the tests). A throwaway
// PostgreSQL 15 cluster is started for the run (Debian's binaries, as the `postgres` user).
//   node --import tsx bench/postgres.mjs [--rows 5000000] [--runs 3]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  // The server's CPU seconds (its processes and the parallel workers it has reaped), read from
  // /proc: on a loaded machine a steadier measure than the wall clock. Linux only; else NaN.
  const postmaster = Number(readFileSync(join(server.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const statOf = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const serverCpu = () => {
    try {
      const own = statOf(postmaster);
      let ticks = Number(own[13]) + Number(own[14]);
      for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
        try {
          const stat = statOf(pid);
          if (Number(stat[1]) === postmaster) ticks += Number(stat[11]) + Number(stat[12]);
        } catch {
          // the process ended meanwhile
        }
      }
      return ticks / 100;
    } catch {
      return NaN;
    }
  };
  const timed = async (run) => {
    const cpu = serverCpu();
    const wall = process.hrtime.bigint();
    const result = await run();
    return { wall: seconds(wall), cpu: serverCpu() - cpu, result };
  };

  // 1. Push-down: the source's real read, on a fresh state and watermark each run; alternating
  // with 3. the floor, one aggregate pass reading every feature column of the same rows.
  const floorSql = `SELECT count(*)::int AS n, sum(x), sum(level), sum(length(color)) FROM inferences
       WHERE ts > now() - interval '1 hour'`;
  const pushdown = [];
  const floor = [];
  const count = [];
  let pushdownPsi;
  for (let run = 0; run < RUNS; run++) {
    const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-bench-pg-'));
    const { state, sources } = await startState(parseConfig(yaml, 'bench.yml'), { storagePath });
    const read = await timed(() => sources[0].read());
    pushdown.push(read);
    if (read.result.records !== ROWS) throw new Error(`push-down read ${JSON.stringify(read.result)}`);
    pushdownPsi = psiOf(state);
    await sources[0].stop();
    rmSync(storagePath, { recursive: true, force: true });

    const pass = await timed(() => db.query(floorSql));
    floor.push(pass);
    if (pass.result.rows[0].n !== ROWS) throw new Error(`count(*) = ${pass.result.rows[0].n}`);
    count.push(await timed(() => db.query('SELECT count(*) FROM inferences')));
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
  const explain = async (text, values = []) =>
    (await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, values)).rows
      .map((row) => row['QUERY PLAN'])
      .join('\n');
  const plan = `${await explain(aq.text, aq.values)}\n\nfloor:\n${await explain(floorSql)}`;

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

  const wall = (runs) => median(runs.map((r) => r.wall));
  const cpu = (runs) => median(runs.map((r) => r.cpu));
  const p = wall(pushdown);
  const f = wall(floor);
  const c = wall(count);
  const result = {
    rows: ROWS,
    features: { numeric: 2, categorical: 1 },
    pushdown_seconds: p,
    cursor_seconds: cursor,
    floor_seconds: f,
    count_seconds: c,
    pushdown_over_floor: p / f,
    server_cpu_seconds: { pushdown: cpu(pushdown), floor: cpu(floor), count: cpu(count) },
    pushdown_over_floor_cpu: cpu(pushdown) / cpu(floor),
    cursor_over_floor: cursor / f,
    cursor_over_pushdown: cursor / p,
    psi_x: { pushdown: pushdownPsi, cursor: cursorPsi },
    runs: Object.fromEntries(
      Object.entries({ pushdown, floor, count }).map(([name, runs]) => [
        name,
        runs.map(({ wall, cpu }) => ({ wall, cpu })),
      ]),
    ),
  };
  const fmt = (s) => `${s.toFixed(2)} s`.padStart(9);
  const both = (runs) => `${fmt(wall(runs))} wall, ${fmt(cpu(runs))} server CPU`;
  console.log(`\ndrift over ${ROWS.toLocaleString('en')} rows (2 numeric + 1 categorical feature, 1h window)`);
  console.log(`  push-down aggregation ${both(pushdown)}   (median of ${RUNS}, alternating with the floor)`);
  console.log(
    `  floor: count(*), sum(x), sum(level), sum(length(color)) of the same rows ${both(floor)}   (median of ${RUNS})`,
  );
  console.log(
    `  push-down / floor: ${(p / f).toFixed(1)}× wall, ${(cpu(pushdown) / cpu(floor)).toFixed(1)}× server CPU`,
  );
  console.log(`  bare SELECT count(*) of the table ${both(count)}   (median of ${RUNS})`);
  console.log(
    `  cursor into Node      ${fmt(cursor)}   ${(cursor / f).toFixed(1)}× the floor   ${(cursor / p).toFixed(1)}× push-down`,
  );
  console.log(`  PSI of x: push-down ${pushdownPsi}, cursor ${cursorPsi}`);
  if (Math.abs(pushdownPsi - cursorPsi) > 1e-9 * Math.abs(cursorPsi)) throw new Error('the two paths disagree');
  mkdirSync('bench/out', { recursive: true });
  writeFileSync('bench/out/postgres.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/out/postgres-plan.txt', `${plan}\n`);
} finally {
  await server.destroy();
}
