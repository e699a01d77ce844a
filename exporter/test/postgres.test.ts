// The postgres source against a real PostgreSQL 15: the rows streamed by COPY and counted equal the
// golden values and the HTTP path (odd values and many features too), a million rows generated in
// SQL, incremental reads that count each row once across restarts, and a database that goes away
// and comes back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { buildApp } from '../src/server/app.ts';
import { PostgresSource } from '../src/sources/postgres/postgres.ts';
import type { PostgresRecordsConfig } from '../src/sources/postgres/postgres-config.ts';
import { SliceCounter } from '../src/sources/postgres/postgres-rows.ts';
import { planSlots, rowsCopyQuery } from '../src/sources/postgres/postgres-sql.ts';
import { startState } from '../src/startup.ts';
import type { Exporter } from '../src/exporter.ts';
import type { NumericSlot } from '../src/window/layout.ts';
import { binIndex, psi } from '../src/stats/index.ts';
import { postRecords, startExporter } from './helpers/exporter.ts';
import {
  assertClose,
  parseMetrics,
  singleValue,
  startPostgres,
  type RunningPostgres,
  waitFor,
  waitForChanges,
} from '../../testkit/index.ts';
import { driftGolden, FIXTURES } from './helpers/golden.ts';

const PASSWORD_ENV = 'MLMON_TEST_PG_PASSWORD';
let server: RunningPostgres;
let db: pg.Client;
let storage: string;

before(async () => {
  server = await startPostgres();
  process.env[PASSWORD_ENV] = server.password;
  await server.createDatabase('inference');
  db = await server.connect('inference');
  storage = mkdtempSync(join(tmpdir(), 'mlmon-pg-storage-'));
});

after(async () => {
  await db?.end().catch(() => {});
  await server?.destroy();
  if (storage) rmSync(storage, { recursive: true, force: true });
});

async function createTable(name: string): Promise<void> {
  await db.query(`CREATE TABLE ${name} (
    id bigserial PRIMARY KEY,
    ts timestamptz NOT NULL DEFAULT now(),
    x double precision,
    level double precision,
    color text
  )`);
  await db.query(`GRANT SELECT ON ${name} TO mlmon`);
}

async function insertGolden(table: string, records: typeof driftGolden.current_records): Promise<void> {
  const values = records.flatMap((r) => [r.x, r.level, r.color]);
  const rows = records.map((_, i) => `($${3 * i + 1}::float8, $${3 * i + 2}::float8, $${3 * i + 3})`);
  await db.query(`INSERT INTO ${table} (x, level, color) VALUES ${rows.join(', ')}`, values);
}

/** A config whose source reads `table` (sequence watermark unless told otherwise). */
function config(model: string, source: string, extra = '', columns = '{ timestamp: ts, sequence: id }'): string {
  return `
models:
  - name: ${model}
    reference: { path: ${FIXTURES}reference.csv }
    windows: [1h]
    min_samples: 100
sources:
  - type: postgres
    name: ${source}
    model: ${model}
    interval: 1h
    connection:
      host: ${server.host}
      port: ${server.port}
      database: inference
      user: mlmon
      password_env: ${PASSWORD_ENV}
      connect_timeout: 2s
    table: public.${model.replaceAll('-', '_')}
    columns: ${columns}
${extra}`;
}

async function startFrom(yaml: string, storagePath = storage): Promise<{ state: Exporter; source: PostgresSource }> {
  const { state, sources } = await startState(parseConfig(yaml, 'test.yml'), { storagePath });
  return { state, source: sources[0] as PostgresSource };
}

const metric = singleValue;

test("one read of the golden records gives scipy's PSI and the statistics of the HTTP path", async () => {
  await createTable('golden');
  await insertGolden('golden', driftGolden.current_records);
  const { state, source } = await startFrom(config('golden', 'pg-golden'));
  const result = await source.read();
  assert.deepEqual(result, { records: 4000, more: false });
  const text = renderMetrics(state);
  for (const [feature, expected] of Object.entries(driftGolden.expected)) {
    const labels = { model: 'golden', feature, window: '1h' };
    assertClose(metric(text, 'mlmon_feature_psi', labels), expected.psi as number, `${feature} psi`, 1e-9);
    assertClose(
      metric(text, 'mlmon_feature_missing_ratio', labels),
      expected.missing_ratio as number,
      `${feature} missing`,
      1e-12,
    );
  }
  assert.equal(metric(text, 'mlmon_source_up', { source: 'pg-golden' }), 1);
  assert.equal(metric(text, 'mlmon_source_records_read_total', { source: 'pg-golden' }), 4000);

  // The same records through POST /api/v1/records.
  const http = await startExporter(config('golden', 'unused').split('sources:')[0]);
  try {
    const body = driftGolden.current_records.map((r) => ({ model: 'golden', features: r }));
    assert.equal((await postRecords(http.url, JSON.stringify(body))).status, 200);
    const viaHttp = parseMetrics(await (await fetch(`${http.url}/metrics`)).text()).filter(
      (s) => s.labels.model === 'golden' && !/data_age|timestamp/.test(s.name),
    );
    const viaPostgres = new Map(
      parseMetrics(text)
        .filter((s) => s.labels.model === 'golden')
        .map((s) => [`${s.name}${JSON.stringify(s.labels)}`, s.value]),
    );
    assert.ok(viaHttp.length > 100, `${viaHttp.length} samples`);
    for (const s of viaHttp) {
      const key = `${s.name}${JSON.stringify(s.labels)}`;
      assert.ok(viaPostgres.has(key), `missing from the postgres path: ${key}`);
      const got = viaPostgres.get(key)!;
      if (Number.isNaN(s.value)) assert.ok(Number.isNaN(got), key);
      else assertClose(got, s.value, key, 1e-9);
    }
  } finally {
    await http.stop();
  }
  await source.stop();
});

test('a million rows generated in SQL are aggregated by the database', async () => {
  await createTable('million');
  await db.query(`INSERT INTO million (ts, x, level, color)
    SELECT now() - (g % 3000) * interval '1 second',
      CASE WHEN g % 997 = 0 THEN NULL WHEN g % 1009 = 0 THEN 'NaN' WHEN g % 2003 = 0 THEN 'Infinity'
           WHEN g % 2011 = 0 THEN '-Infinity' ELSE round((sin(g) * 1.6 + 0.3)::numeric, 2)::float8 END,
      ((g * 7) % 6)::float8,
      (ARRAY['red', 'green', 'blue', 'yellow', 'purple', NULL])[1 + g % 6]
    FROM generate_series(1, 1000000) AS g`);
  await db.query('ANALYZE million');
  const { state, source } = await startFrom(config('million', 'pg-million'));
  const started = Date.now();
  const result = await source.read();
  const seconds = (Date.now() - started) / 1000;
  assert.deepEqual(result, { records: 1_000_000, more: false });
  const text = renderMetrics(state);
  assert.equal(metric(text, 'mlmon_model_window_records', { model: 'million', window: '1h' }), 1_000_000);

  // The expected counts: the distinct values and their counts (a few hundred rows), binned in Node.
  const model = state.models.get('million')!.windows;
  for (const slot of model.layout.features) {
    const { rows } = await db.query<{ v: number | string | null; n: string }>(
      `SELECT ${slot.name} AS v, count(*) AS n FROM million GROUP BY 1`,
    );
    const counts = new Array<number>(slot.binCount).fill(0);
    let missing = 0;
    for (const row of rows) {
      const n = Number(row.n);
      if (row.v === null || Number.isNaN(row.v)) missing += n;
      else if (slot.type === 'numeric') counts[binIndex(row.v as number, slot.edges)] += n;
      else counts[slot.binOf(row.v as string)] += n;
    }
    const labels = { model: 'million', feature: slot.name, window: '1h' };
    assertClose(metric(text, 'mlmon_feature_missing_ratio', labels), missing / 1e6, `${slot.name} missing`, 1e-12);
    assertClose(metric(text, 'mlmon_feature_psi', labels), psi(slot.profile.counts, counts), `${slot.name} psi`, 1e-9);
    const observed = parseMetrics(text)
      .filter((s) => s.name === 'mlmon_feature_bin_observations_total' && s.labels.feature === slot.name)
      .map((s) => s.value);
    assert.deepEqual(observed, counts, `${slot.name} bins`);
  }
  console.log(`# 1,000,000 rows aggregated by PostgreSQL in ${seconds.toFixed(2)} s`);
  await source.stop();
});

test('incremental reads count every row once, across a restart of the source', async () => {
  await createTable('incremental');
  const records = driftGolden.current_records;
  const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-pg-inc-'));
  const yaml = config('incremental', 'pg-inc', '    batch_rows: 700');
  const { state, source } = await startFrom(yaml, storagePath);
  const model = state.models.get('incremental')!.windows;

  await insertGolden('incremental', records.slice(0, 1000));
  assert.deepEqual(await source.read(), { records: 700, more: true }); // a full batch
  assert.deepEqual(await source.read(), { records: 300, more: false });
  assert.deepEqual(await source.read(), { records: 0, more: false });
  await insertGolden('incremental', records.slice(1000, 1500));
  assert.deepEqual(await source.read(), { records: 500, more: false });
  assert.equal(model.recordsTotal, 1500);
  const saved = JSON.parse(readFileSync(join(storagePath, 'postgres-pg-inc.json'), 'utf8'));
  assert.equal(saved.mode, 'sequence');
  assert.equal(saved.value, '1500');
  await source.stop();

  // A new instance of the source on the same state and storage: it goes on from the watermark.
  const again = new PostgresSource(source.config, { sink: state, storagePath });
  assert.deepEqual(await again.read(), { records: 0, more: false });
  await insertGolden('incremental', records.slice(1500, 1700));
  assert.deepEqual(await again.read(), { records: 200, more: false });
  assert.equal(model.recordsTotal, 1700);
  await again.stop();

  // A restarted exporter (fresh state): only the rows after the watermark.
  await insertGolden('incremental', records.slice(1700, 2000));
  const restarted = await startFrom(yaml, storagePath);
  assert.deepEqual(await restarted.source.read(), { records: 300, more: false });
  await restarted.source.stop();

  // The PSI bins of the first state hold exactly the first 1,700 records.
  const x = model.layout.byName.get('x') as NumericSlot;
  const expected = new Array<number>(x.binCount).fill(0);
  for (const r of records.slice(0, 1700)) if (typeof r.x === 'number') expected[binIndex(r.x, x.edges)]++;
  assert.deepEqual([...model.binObservations.get('x')!], expected);
  rmSync(storagePath, { recursive: true, force: true });
});

test('a timestamp watermark with a model column and a feature mapping', async () => {
  await db.query(`CREATE TABLE by_time (
    at timestamp NOT NULL, model_name text, feature_x real, level int, colour varchar(20))`);
  await db.query('GRANT SELECT ON by_time TO mlmon');
  const insert = (model: string, rows: typeof records, ago: string) =>
    db.query(
      `INSERT INTO by_time SELECT (now() AT TIME ZONE 'UTC') - $1::interval, $2, r.x, r.level, r.color
       FROM json_to_recordset($3) AS r(x real, level int, color text)`,
      [ago, model, JSON.stringify(rows)],
    );
  const records = driftGolden.current_records;
  await insert('by-time', records.slice(0, 400), '10 minutes');
  await insert('other', records.slice(0, 50), '10 minutes');
  const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-pg-ts-'));
  const yaml = config(
    'by-time',
    'pg-ts',
    '',
    '{ timestamp: at, model: model_name, features: { x: feature_x, color: colour } }',
  ).replace('public.by_time', 'by_time');
  const { state, source } = await startFrom(yaml, storagePath);
  assert.deepEqual(await source.read(), { records: 400, more: false });
  await insert('by-time', records.slice(400, 600), '0 seconds');
  // A row whose timestamp is older than the watermark when it commits is not read: the documented
  // limit of timestamp watermarks (use a sequence column, or `settle`, to avoid it).
  await insert('by-time', records.slice(600, 601), '1 hour 10 minutes');
  assert.deepEqual(await source.read(), { records: 200, more: false });
  assert.deepEqual(await source.read(), { records: 0, more: false });
  const model = state.models.get('by-time')!.windows;
  assert.equal(model.recordsTotal, 600);
  const saved = JSON.parse(readFileSync(join(storagePath, 'postgres-pg-ts.json'), 'utf8'));
  assert.equal(saved.mode, 'timestamp');
  await source.stop();
  rmSync(storagePath, { recursive: true, force: true });
});

test('a query error is reported by reason and the source keeps going', async () => {
  const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-pg-err-'));
  const yaml = config('golden', 'pg-bad', '', '{ timestamp: ts, sequence: id, features: { x: no_such_column } }');
  const { state, source } = await startFrom(yaml, storagePath);
  assert.deepEqual(await source.read(), { records: 0, more: false, error: 'query' });
  assert.equal(state.sources.get('pg-bad')!.errors.get('query'), 1);
  assert.ok(!existsSync(join(storagePath, 'postgres-pg-bad.json')));

  delete process.env.MLMON_TEST_PG_MISSING;
  const noPassword = await startFrom(
    yaml.replace(PASSWORD_ENV, 'MLMON_TEST_PG_MISSING').replace('no_such_column', 'x'),
    storagePath,
  );
  assert.deepEqual(await noPassword.source.read(), { records: 0, more: false, error: 'credentials' });
  await source.stop();
  await noPassword.source.stop();
  rmSync(storagePath, { recursive: true, force: true });
});

test('PostgreSQL stopped: the source is down and counts errors, the exporter serves; started: it recovers', async () => {
  await createTable('fault');
  await insertGolden('fault', driftGolden.current_records.slice(0, 100));
  const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-pg-fault-'));
  const parsed = parseConfig(config('fault', 'pg-fault').replace('interval: 1h', 'interval: 300ms'), 'test.yml');
  const { state, sources } = await startState(parsed, { storagePath });
  const app = buildApp(state, parsed.ingest);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/metrics`;
  const scrape = async () => {
    const response = await fetch(url);
    assert.equal(response.status, 200);
    return response.text();
  };
  const up = async () => metric(await scrape(), 'mlmon_source_up', { source: 'pg-fault' });
  const errors = async () =>
    parseMetrics(await scrape())
      .filter((s) => s.name === 'mlmon_source_errors_total' && s.labels.source === 'pg-fault')
      .reduce((sum, s) => sum + s.value, 0);
  const model = state.models.get('fault')!.windows;
  try {
    for (const source of sources) source.start();
    await waitFor('first read', async () => (model.recordsTotal === 100 ? true : undefined));
    assert.equal(await up(), 1);

    await db.end();
    await server.stop();
    await waitFor('source down', async () => ((await up()) === 0 ? true : undefined));
    const first = await errors();
    await waitFor('more errors', async () => ((await errors()) > first ? true : undefined));
    assert.equal(metric(await scrape(), 'mlmon_model_window_records', { model: 'fault', window: '1h' }), 100);

    await server.start();
    db = await server.connect('inference');
    await insertGolden('fault', driftGolden.current_records.slice(100, 250));
    await waitFor('source up again', async () => ((await up()) === 1 && model.recordsTotal === 250 ? true : undefined));
    // Two more reads (each success moves the source's last-success time): nothing counted twice.
    await waitForChanges('two more reads', () => state.sources.get('pg-fault')!.lastSuccessMs);
    assert.equal(model.recordsTotal, 250);
    const reasons = [...state.sources.get('pg-fault')!.errors.keys()];
    assert.ok(
      reasons.every((r) => r === 'connect' || r === 'timeout'),
      reasons.join(),
    );
  } finally {
    for (const source of sources) await source.stop();
    await app.close();
    rmSync(storagePath, { recursive: true, force: true });
  }
});

test('a query instead of a table', async () => {
  const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-pg-query-'));
  const yaml = config('golden', 'pg-query').replace(
    'table: public.golden',
    `query: "SELECT id, ts, x, level, upper(color) AS color FROM golden WHERE id % 2 = 0;"`,
  );
  const { state, source } = await startFrom(yaml, storagePath);
  assert.deepEqual(await source.read(), { records: 2000, more: false });
  const color = state.models.get('golden')!.windows.layout.byName.get('color')!;
  // Upper-case colours are all new categories: every present value is unusual, in __other__.
  const observed = state.models.get('golden')!.windows.binObservations.get('color')!;
  assert.equal(observed[color.binCount - 1], 2000);
  await source.stop();
  rmSync(storagePath, { recursive: true, force: true });
});

test('odd values, slice boundaries and 15 features: the read equals the per-record path, record for record', async (t) => {
  // A reference of 12 numeric and 3 categorical features, and rows holding NULL, NaN, ±Infinity,
  // the reference's edges, min and max and values beside them, new categories and the empty
  // string, stamped on and beside minute boundaries (the slices) over the last 50 minutes.
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-pg-wide-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const numeric = Array.from({ length: 12 }, (_, i) => `f${i}`);
  const categorical = ['c0', 'c1', 'c2'];
  const colours = ['red', 'green', 'blue', 'teal', 'plum'];
  const lines = [[...numeric, ...categorical].join(',')];
  for (let r = 0; r < 400; r++) {
    const values = numeric.map((_, i) => (Math.round(Math.sin(r * (i + 1)) * 1000 * (i + 1)) / 100).toString());
    // c2 has 40 categories of one length: more than are compared byte by byte.
    const codes = categorical.map((_, i) =>
      i === 2 ? `k${(r * 7) % 40}`.padEnd(3, '_') : colours[(r * (i + 2)) % (3 + i)],
    );
    lines.push([...values, ...codes].join(','));
  }
  writeFileSync(join(dir, 'wide.csv'), `${lines.join('\n')}\n`);
  const yaml = config('wide', 'pg-wide').replace(`${FIXTURES}reference.csv`, join(dir, 'wide.csv'));
  const { state, source } = await startFrom(yaml);
  const model = state.models.get('wide')!.windows;

  const specials: (number | null)[] = [null, NaN, Infinity, -Infinity, 0, -0, 1e300, -1e300];
  const numericValue = (slot: NumericSlot, r: number, k: number): number | null => {
    const marks = [...slot.edges, ...slot.fineEdges, slot.profile.min, slot.profile.max];
    const pick = r % 7;
    if (pick === 0) return specials[(r >> 3) % specials.length];
    if (pick === 1) return marks[r % marks.length];
    if (pick === 2) return marks[r % marks.length] * (1 + Number.EPSILON);
    if (pick === 3) return marks[r % marks.length] * (1 - Number.EPSILON);
    return Math.sin(r * 0.37 + k) * (slot.profile.max - slot.profile.min) * 0.6;
  };
  const categoryValue = (r: number, k: number): string | null =>
    k === 14 && r % 8 < 5 ? `k${(r * 3) % 45}`.padEnd(3, '_') : [...colours, 'never-seen', '', null][r % 8];
  const minute = 60_000;
  const now = Date.now();
  const lastBoundary = Math.floor(now / minute) * minute;
  const records = Array.from({ length: 2000 }, (_, r) => {
    const boundary = lastBoundary - (1 + (r % 50)) * minute;
    const offsets = [0, -1, 1, 29_999, -30_000];
    const features: Record<string, number | string | null> = {};
    model.layout.features.forEach((slot, k) => {
      features[slot.name] = slot.type === 'numeric' ? numericValue(slot, r + k * 13, k) : categoryValue(r + k, k);
    });
    return { features, timestampMs: boundary + offsets[r % offsets.length] };
  });
  await db.query(`CREATE TABLE wide (id bigserial PRIMARY KEY, ts timestamptz NOT NULL,
    ${numeric.map((n) => `${n} double precision`).join(', ')}, ${categorical.map((c) => `${c} text`).join(', ')})`);
  await db.query('GRANT SELECT ON wide TO mlmon');
  const columns = ['ts', ...numeric, ...categorical];
  for (let start = 0; start < records.length; start += 1000) {
    const batch = records.slice(start, start + 1000);
    const values = batch.flatMap((r) => [new Date(r.timestampMs), ...columns.slice(1).map((c) => r.features[c])]);
    const rows = batch.map(
      (_, i) =>
        `(${columns.map((c, j) => `$${i * columns.length + j + 1}${j === 0 ? '' : j <= 12 ? '::float8' : ''}`)})`,
    );
    await db.query(`INSERT INTO wide (${columns.join(', ')}) VALUES ${rows.join(', ')}`, values);
  }

  assert.deepEqual(await source.read(), { records: 2000, more: false });
  // The same records through the per-record path of POST /api/v1/records (JSON has no NaN or
  // Infinity, so the records are counted in process).
  const { state: perRecord } = await startState({ ...parseConfig(yaml, 'test.yml'), sources: [] });
  const perRecordModel = perRecord.models.get('wide')!.windows;
  const ingestNow = Date.now();
  for (const r of records) perRecordModel.ingest({ model: 'wide', ...r }, ingestNow);
  const samples = (text: string) =>
    new Map(
      parseMetrics(text)
        .filter((s) => s.labels.model === 'wide' && !/data_age|timestamp/.test(s.name))
        .map((s) => [`${s.name}${JSON.stringify(s.labels)}`, s.value]),
    );
  const viaPostgres = samples(renderMetrics(state));
  const expected = samples(renderMetrics(perRecord));
  assert.ok(expected.size > 300, `${expected.size} samples`);
  for (const [key, value] of expected) {
    assert.ok(viaPostgres.has(key), `missing from the postgres path: ${key}`);
    const got = viaPostgres.get(key)!;
    if (Number.isNaN(value)) assert.ok(Number.isNaN(got), key);
    else assertClose(got, value, key, 1e-9);
  }
  await source.stop();
});

test('the COPY stream counted in chunks of any size; rows hours late or ahead are one slice each', async () => {
  await createTable('chunks');
  const hour = 3_600_000;
  const now = Date.now();
  // One row a minute for 30 minutes (29 of them for the first), from four hours ago (late for
  // the 1h window), from an hour ago, and from two hours ahead.
  await db.query(`INSERT INTO chunks (ts, x, level, color)
    SELECT to_timestamp((${now} + o * ${hour} + g * 60000) / 1000.0),
      CASE WHEN g % 4 = 0 THEN NULL ELSE g / 10.0 END, g % 5, (ARRAY['red', 'blue', 'new', NULL])[1 + g % 4]
    FROM generate_series(1, 30) AS g, (VALUES (-4), (-1), (2)) AS offsets(o)
    WHERE o <> -4 OR g < 30`);
  const yaml = config('chunks', 'pg-chunks');
  const { state } = await startFrom(yaml);
  const model = state.models.get('chunks')!.windows;
  const planned = planSlots(parseConfig(yaml, 'test.yml').sources[0] as PostgresRecordsConfig, model);
  const copy = rowsCopyQuery(
    parseConfig(yaml, 'test.yml').sources[0] as PostgresRecordsConfig,
    planned,
    4 * hour,
    { upTo: '1000' },
    (text) => db.escapeLiteral(text),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of db.query(copyTo(copy))) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const count = (size: number) => {
    const counter = new SliceCounter(planned, model.finestSliceMs, hour, now, 10_000);
    for (let at = 0; at < bytes.length; at += size) counter.write(bytes.subarray(at, at + size));
    return counter.finish();
  };
  const whole = count(bytes.length);
  for (const size of [1, 2, 3, 7, 64, 1000]) assert.deepEqual(count(size), whole, `chunks of ${size} bytes`);
  // 29 rows late, 30 rows in 30 slices of the window, 30 rows ahead.
  assert.deepEqual(
    whole.map((slice) => slice.records),
    [29, ...new Array<number>(30).fill(1), 30],
  );
  assert.ok(whole[0].ts <= now - hour, 'the late slice is late');
  assert.ok(whole.at(-1)!.ts > now + 2 * hour, 'the slice ahead keeps its newest time');
  assert.throws(() => {
    const cut = new SliceCounter(planned, model.finestSliceMs, hour, now, 10_000);
    cut.write(bytes.subarray(0, bytes.length - 10));
    cut.finish();
  }, /ended before its last row/);
});
