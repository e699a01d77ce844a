// PostgreSQL source: drift over a 5-million-row window, on one table in one run:
//   1. read — the postgres source's own read: one scan whose rows PostgreSQL streams in COPY's
//      binary format (timestamp, numbers as float8, categories as their list position), counted
//      per time slice in Node as they arrive; the server's and the exporter's CPU time both;
//   2. floor — one aggregate pass over the same rows and columns: `count(*)`, `sum(x)`,
//      `sum(level)`, `sum(length(color))` with the source's row filter, alternating with 1.;
//      a bare `count(*)` of the table beside it;
//   3. with --cursor: every row streamed into Node by a server-side cursor (FETCH 10000) and
//      counted by the per-record path (ModelWindows.ingest), a cross-check of the PSI (~1 min).
// It also keeps the plans of the read's SELECT and of the floor (EXPLAIN (ANALYZE, BUFFERS)) in
// bench/out/postgres-plan.txt. It ends with a RESULT line: the read's server CPU over the floor's.
// The table has 2 numeric features and 1 categorical one (the reference of the tests). A throwaway
// PostgreSQL 15 cluster is started for the run (Debian's binaries, as the `postgres` user).
//   node --import tsx bench/postgres.mjs [--rows 5000000] [--runs 3] [--cursor]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseConfig } from '../exporter/src/config/load.ts';
import { renderMetrics } from '../exporter/src/metrics/collect.ts';
import { startState } from '../exporter/src/startup.ts';
import { planSlots, rowsCopyQuery } from '../exporter/src/sources/postgres/postgres-sql.ts';
import { startPostgres } from '../testkit/postgres.ts';
import { median } from './lib/synthetic.mjs';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '5000000' },
    runs: { type: 'string', default: '3' },
    cursor: { type: 'boolean', default: false },
  },
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
  const started = process.hrtime.bigint();
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
    const node = process.cpuUsage();
    const wall = process.hrtime.bigint();
    const result = await run();
    const own = process.cpuUsage(node);
    return { wall: seconds(wall), cpu: serverCpu() - cpu, node: (own.user + own.system) / 1e6, result };
  };

  // 1. The source's real read, on a fresh state and watermark each run; alternating with 2. the
  // floor, one aggregate pass reading every feature column of the same rows.
  const floorSql = `SELECT count(*)::int AS n, sum(x), sum(level), sum(length(color)) FROM inferences
       WHERE ts > now() - interval '1 hour'`;
  const reads = [];
  const floor = [];
  const count = [];
  let readPsi;
  for (let run = 0; run < RUNS; run++) {
    const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-bench-pg-'));
    const { state, sources } = await startState(parseConfig(yaml, 'bench.yml'), { storagePath });
    const read = await timed(() => sources[0].read());
    reads.push(read);
    if (read.result.records !== ROWS) throw new Error(`read ${JSON.stringify(read.result)}`);
    readPsi = psiOf(state);
    await sources[0].stop();
    rmSync(storagePath, { recursive: true, force: true });

    const pass = await timed(() => db.query(floorSql));
    floor.push(pass);
    if (pass.result.rows[0].n !== ROWS) throw new Error(`count(*) = ${pass.result.rows[0].n}`);
    count.push(await timed(() => db.query('SELECT count(*) FROM inferences')));
  }

  // The read's SELECT, as the source sends it (all rows: no watermark yet). EXPLAIN takes no
  // COPY: its plan is the SELECT's, and EXPLAIN ANALYZE leaves out the sending of the rows.
  const config = parseConfig(yaml, 'bench.yml');
  const { state: planState } = await startState({ ...config, sources: [] });
  const planModel = planState.models.get('bench').windows;
  const copy = rowsCopyQuery(
    config.sources[0],
    planSlots(config.sources[0], planModel),
    3_600_000,
    { upTo: String(ROWS) },
    (text) => db.escapeLiteral(text),
  );
  const select = /^COPY \((.*)\) TO STDOUT \(FORMAT binary\)$/s.exec(copy)[1];
  const explain = async (text) =>
    (await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`)).rows.map((row) => row['QUERY PLAN']).join('\n');
  const plan = `${copy}\n\n${await explain(select)}\n\nfloor:\n${await explain(floorSql)}`;

  // 3. Cursor: every row into Node, FETCH 10000 at a time, counted by ModelWindows.ingest.
  let cursor;
  let cursorPsi;
  if (values.cursor) {
    const { state } = await startState({ ...parseConfig(yaml, 'bench.yml'), sources: [] });
    const model = state.models.get('bench').windows;
    const started = process.hrtime.bigint();
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
    cursor = seconds(started);
    if (streamed !== ROWS) throw new Error(`cursor streamed ${streamed}`);
    cursorPsi = psiOf(state);
  }
  await db.end();

  const med = (runs, key) => median(runs.map((r) => r[key]));
  const ratioCpu = med(reads, 'cpu') / med(floor, 'cpu');
  const result = {
    rows: ROWS,
    features: { numeric: 2, categorical: 1 },
    read: { wall: med(reads, 'wall'), server_cpu: med(reads, 'cpu'), exporter_cpu: med(reads, 'node') },
    floor: { wall: med(floor, 'wall'), server_cpu: med(floor, 'cpu') },
    count: { wall: med(count, 'wall'), server_cpu: med(count, 'cpu') },
    read_over_floor: { server_cpu: ratioCpu, wall: med(reads, 'wall') / med(floor, 'wall') },
    cursor_seconds: cursor ?? null,
    psi_x: { read: readPsi, cursor: cursorPsi ?? null },
    runs: Object.fromEntries(
      Object.entries({ reads, floor, count }).map(([name, runs]) => [
        name,
        runs.map(({ wall, cpu, node }) => ({ wall, cpu, node })),
      ]),
    ),
  };
  const fmt = (s) => `${s.toFixed(2)} s`.padStart(8);
  const both = (runs) => `${fmt(med(runs, 'wall'))} wall, ${fmt(med(runs, 'cpu'))} server CPU`;
  console.log(
    `\ndrift over ${ROWS.toLocaleString('en')} rows (2 numeric + 1 categorical feature, 1h window), median of ${RUNS}`,
  );
  console.log(`  read (COPY binary, counted in Node) ${both(reads)}, ${fmt(med(reads, 'node'))} exporter CPU`);
  console.log(`  floor: count(*), sum(x), sum(level), sum(length(color)) ${both(floor)}`);
  console.log(
    `  read / floor: ${ratioCpu.toFixed(2)}× server CPU, ${(med(reads, 'wall') / med(floor, 'wall')).toFixed(2)}× wall`,
  );
  console.log(`  bare SELECT count(*) of the table ${both(count)}`);
  if (cursor !== undefined) {
    console.log(`  cursor into Node ${fmt(cursor)} wall, ${(cursor / med(reads, 'wall')).toFixed(1)}× the read`);
    console.log(`  PSI of x: read ${readPsi}, cursor ${cursorPsi}`);
    if (Math.abs(readPsi - cursorPsi) > 1e-9 * Math.abs(cursorPsi)) throw new Error('the two paths disagree');
  }
  mkdirSync('bench/out', { recursive: true });
  writeFileSync('bench/out/postgres.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/out/postgres-plan.txt', `${plan}\n`);
  const goal = 3;
  console.log(
    `RESULT ${JSON.stringify({
      row: 'postgres',
      value: Number(med(reads, 'cpu').toFixed(3)),
      unit: 's',
      baseline: Number(med(floor, 'cpu').toFixed(3)),
      ratio: Number(ratioCpu.toFixed(3)),
      goal: `ratio<=${goal}`,
      met: ratioCpu <= goal,
    })}`,
  );
} finally {
  await server.destroy();
}
