// The postgres source's `kind: labels` against a real PostgreSQL 15: delayed labels in a table are
// joined by id to predictions posted over HTTP (or ingested directly), each label delivered once —
// across reads, restarts and snapshot checkpoints — and a database that goes away and comes back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { ConfigError, parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { buildApp } from '../src/server/app.ts';
import { ingestItems } from '../src/server/ingest.ts';
import { PostgresSource } from '../src/sources/postgres/postgres.ts';
import { startState } from '../src/startup.ts';
import type { Exporter } from '../src/exporter.ts';
import { postRecords } from './helpers/exporter.ts';
import {
  parseMetrics,
  singleValue,
  startPostgres,
  type RunningPostgres,
  waitFor,
  waitForChanges,
} from '../../testkit/index.ts';

const PASSWORD_ENV = 'MLMON_TEST_PG_LABELS_PASSWORD';
let server: RunningPostgres;
let db: pg.Client;
let dir: string;

before(async () => {
  server = await startPostgres();
  process.env[PASSWORD_ENV] = server.password;
  await server.createDatabase('truth');
  db = await server.connect('truth');
  dir = mkdtempSync(join(tmpdir(), 'mlmon-pg-labels-'));
  // Reference predictions of a binary classifier ('0'/'1') and of one with named classes.
  writeFileSync(join(dir, 'churn.csv'), 'f,pred\n' + [0, 1, 1, 0, 1, 0].map((p, i) => `${i},${p}`).join('\n'));
  writeFileSync(join(dir, 'fraud.csv'), 'f,pred\n' + ['ok', 'fraud', 'ok'].map((p, i) => `${i},${p}`).join('\n'));
});

after(async () => {
  await db?.end().catch(() => {});
  await server?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Two models and one labels source (sequence watermark unless told otherwise). */
function config(
  source: string,
  table: string,
  extra = '',
  columns = '{ id: record_id, label: y, sequence: seq }',
): string {
  return `
models:
  - name: churn
    reference: { path: ${dir}/churn.csv }
    prediction: { name: pred, type: categorical }
    performance: { positive_class: '1' }
    windows: [1h]
  - name: fraud
    reference: { path: ${dir}/fraud.csv }
    prediction: { name: pred, type: categorical }
    performance: { positive_class: fraud }
    windows: [1h]
sources:
  - type: postgres
    kind: labels
    name: ${source}
    model: churn
    interval: 1h
    connection:
      host: ${server.host}
      port: ${server.port}
      database: truth
      user: mlmon
      password_env: ${PASSWORD_ENV}
      connect_timeout: 2s
    table: ${table}
    columns: ${columns}
${extra}`;
}

async function startFrom(yaml: string, storagePath: string): Promise<{ state: Exporter; source: PostgresSource }> {
  const { state, sources } = await startState(parseConfig(yaml, 'test.yml'), { storagePath });
  return { state, source: sources[0] as PostgresSource };
}

const metric = singleValue;

const churn = { model: 'churn' };
const joined = (state: Exporter) => metric(renderMetrics(state), 'mlmon_labels_joined_total', churn);
const unmatched = (state: Exporter) => metric(renderMetrics(state), 'mlmon_labels_unmatched_total', churn);
const accuracy = (state: Exporter) =>
  metric(renderMetrics(state), 'mlmon_performance_accuracy', { model: 'churn', window: '1h' });

/** Predictions r1..r10 of model churn; r1..r8 get labels first, r9 and r10 later. */
const PREDICTIONS = ['1', '0', '1', '1', '0', '0', '1', '0', '1', '0'];
const FIRST_LABELS = [1, 0, 0, 1, 0, 1, 1, 0]; // 6 of 8 right
const LATER_LABELS = [1, 1]; // r9 right, r10 wrong: 7 of 10

function predictionRecords(ids: number[]) {
  return ids.map((i) => ({ model: 'churn', id: `r${i}`, features: { f: i }, prediction: PREDICTIONS[i - 1] }));
}

async function insertLabels(table: string, rows: [string | null, number | null][]): Promise<void> {
  const values = rows.flat();
  const tuples = rows.map((_, i) => `($${2 * i + 1}, $${2 * i + 2}::int)`);
  await db.query(`INSERT INTO ${table} (record_id, y) VALUES ${tuples.join(', ')}`, values);
}

test('labels in a table join predictions posted over HTTP, each once, across restarts and checkpoints', async () => {
  await db.query(`CREATE TABLE churn_labels (
    seq bigserial PRIMARY KEY, record_id text, y int, labelled_at timestamptz DEFAULT now())`);
  await db.query('GRANT SELECT ON churn_labels TO mlmon');
  const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-pg-labels-a-'));
  const yaml = config('pg-churn', 'public.churn_labels');
  const parsed = parseConfig(yaml, 'test.yml');
  const { state, sources } = await startState(parsed, { storagePath });
  const source = sources[0] as PostgresSource;
  const app = buildApp(state, parsed.ingest);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  let checkpoint: unknown;
  try {
    const posted = await postRecords(url, JSON.stringify(predictionRecords([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])));
    assert.equal(posted.status, 200);
    assert.equal(posted.body.accepted, 10);
    assert.deepEqual(await source.read(), { records: 0, more: false }); // an empty table
    await insertLabels(
      'churn_labels',
      FIRST_LABELS.map((y, i) => [`r${i + 1}`, y]),
    );

    // One read joins them all.
    assert.deepEqual(await source.read(), { records: 8, more: false });
    let text = await (await fetch(`${url}/metrics`)).text();
    assert.equal(metric(text, 'mlmon_labels_joined_total', churn), 8);
    assert.equal(metric(text, 'mlmon_labels_unmatched_total', churn), 0);
    assert.equal(metric(text, 'mlmon_performance_accuracy', { model: 'churn', window: '1h' }), 0.75);
    assert.equal(metric(text, 'mlmon_label_join_buffer_records', churn), 2);
    assert.equal(metric(text, 'mlmon_source_up', { source: 'pg-churn' }), 1);
    assert.equal(metric(text, 'mlmon_source_records_read_total', { source: 'pg-churn' }), 8);
    const saved = JSON.parse(readFileSync(join(storagePath, 'postgres-pg-churn.json'), 'utf8'));
    assert.deepEqual([saved.mode, saved.value], ['sequence', '8']);
    checkpoint = source.checkpoint();
    assert.deepEqual(checkpoint, { mode: 'sequence', value: '8' });

    // Labels added later are delivered once; an unknown id is unmatched; NULL id or label rejected.
    await insertLabels('churn_labels', [
      ['r9', LATER_LABELS[0]],
      ['r10', LATER_LABELS[1]],
      ['nobody', 1],
      [null, 1],
      ['r1', null],
    ]);
    assert.deepEqual(await source.read(), { records: 3, more: false });
    assert.deepEqual(await source.read(), { records: 0, more: false });
    text = await (await fetch(`${url}/metrics`)).text();
    assert.equal(metric(text, 'mlmon_labels_joined_total', churn), 10);
    assert.equal(metric(text, 'mlmon_labels_unmatched_total', churn), 1);
    assert.equal(metric(text, 'mlmon_performance_accuracy', { model: 'churn', window: '1h' }), 0.7);
    assert.equal(metric(text, 'mlmon_records_rejected_total', { reason: 'missing' }), 2);
    assert.deepEqual(source.checkpoint(), { mode: 'sequence', value: '13' });
  } finally {
    await source.stop();
    await app.close();
  }

  // A restarted exporter on the same storage: the predictions are posted again, no label comes twice.
  const restarted = await startFrom(yaml, storagePath);
  ingestItems(
    restarted.state,
    predictionRecords([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).map((value) => ({ value })),
    { maxFeatures: 100 },
  );
  assert.deepEqual(await restarted.source.read(), { records: 0, more: false });
  assert.equal(joined(restarted.state), 0);
  await insertLabels('churn_labels', [['r3', 1]]);
  assert.deepEqual(await restarted.source.read(), { records: 1, more: false });
  assert.equal(joined(restarted.state), 1);
  assert.equal(accuracy(restarted.state), 1);
  await restarted.source.stop();

  // Resumed from a snapshot's checkpoint (taken after the first 8 labels): it goes on from there,
  // and moves its own watermark file with it.
  const snapshotStorage = mkdtempSync(join(tmpdir(), 'mlmon-pg-labels-snap-'));
  const resumed = await startFrom(yaml, snapshotStorage);
  ingestItems(
    resumed.state,
    predictionRecords([9, 10]).map((value) => ({ value })),
    { maxFeatures: 100 },
  );
  resumed.source.resume(checkpoint);
  assert.deepEqual(await resumed.source.read(), { records: 4, more: false }); // r9, r10, nobody, r3
  assert.equal(joined(resumed.state), 2);
  assert.equal(unmatched(resumed.state), 2);
  assert.equal(accuracy(resumed.state), 0.5);
  assert.deepEqual(resumed.source.checkpoint(), { mode: 'sequence', value: '14' });
  await resumed.source.stop();
  rmSync(storagePath, { recursive: true, force: true });
  rmSync(snapshotStorage, { recursive: true, force: true });
});

test('a timestamp watermark with a model column, bigint ids, text labels and batches ending on whole timestamps', async () => {
  await db.query(`CREATE TABLE outcomes (model_name text, txn bigint, outcome text, decided_at timestamp)`);
  await db.query('GRANT SELECT ON outcomes TO mlmon');
  const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-pg-labels-ts-'));
  const yaml = config(
    'pg-fraud',
    'outcomes',
    '    batch_rows: 3',
    '{ id: txn, label: outcome, timestamp: decided_at, model: model_name, model_value: fraud }',
  ).replace('model: churn\n    interval', 'model: fraud\n    interval');
  const { state, source } = await startFrom(yaml, storagePath);
  const predictions = ['fraud', 'ok', 'ok', 'fraud', 'ok', 'ok'];
  const predictedAt = new Date(Date.now() - 55 * 60_000).toISOString();
  const ingested = ingestItems(
    state,
    predictions.map((prediction, i) => ({
      value: { model: 'fraud', id: String(101 + i), features: { f: i }, prediction, timestamp: predictedAt },
    })),
    { maxFeatures: 100 },
  );
  assert.equal(ingested.status, 200);
  // Times in the past; rows 3 and 4 share one, across the batch's end. Other models' rows and
  // labels older than the lookback (the join buffer's max_delay, 24h) are not read.
  await db.query(`INSERT INTO outcomes VALUES
    ('fraud', 101, 'fraud', (now() AT TIME ZONE 'UTC') - interval '50 minutes'),
    ('fraud', 102, 'ok',    (now() AT TIME ZONE 'UTC') - interval '40 minutes'),
    ('fraud', 103, 'fraud', (now() AT TIME ZONE 'UTC') - interval '30 minutes'),
    ('fraud', 104, 'fraud', (now() AT TIME ZONE 'UTC') - interval '30 minutes'),
    ('fraud', 105, 'ok',    (now() AT TIME ZONE 'UTC') - interval '20 minutes'),
    ('churn', 106, 'ok',    (now() AT TIME ZONE 'UTC') - interval '20 minutes'),
    ('fraud', 106, 'ok',    (now() AT TIME ZONE 'UTC') - interval '25 hours')`);
  assert.deepEqual(await source.read(), { records: 4, more: true }); // 3 rows, and the tie of the 3rd
  assert.deepEqual(await source.read(), { records: 1, more: false });
  assert.deepEqual(await source.read(), { records: 0, more: false });
  const text = renderMetrics(state);
  assert.equal(metric(text, 'mlmon_labels_joined_total', { model: 'fraud' }), 5);
  assert.equal(metric(text, 'mlmon_labels_unmatched_total', { model: 'fraud' }), 0);
  assert.equal(metric(text, 'mlmon_performance_accuracy', { model: 'fraud', window: '1h' }), 0.8);
  // The label's own time, not its arrival, is when it became known: delays of 5 to 35 minutes.
  assert.equal(metric(text, 'mlmon_label_delay_seconds_bucket', { model: 'fraud', le: '60' }), 0);
  assert.equal(metric(text, 'mlmon_label_delay_seconds_bucket', { model: 'fraud', le: '3600' }), 5);
  const saved = JSON.parse(readFileSync(join(storagePath, 'postgres-pg-fraud.json'), 'utf8'));
  assert.equal(saved.mode, 'timestamp');
  await source.stop();
  rmSync(storagePath, { recursive: true, force: true });
});

test('config: kind defaults to records, and labels need a watermark column', () => {
  const records = parseConfig(
    config('pg-rec', 'x', '', '{ timestamp: ts, sequence: id }').replace('    kind: labels\n', ''),
    'test.yml',
  );
  const source = records.sources[0];
  assert.ok(source.type === 'postgres' && source.kind === 'records' && source.batch_rows === 5_000_000);
  const labels = parseConfig(config('pg-lab', 'x'), 'test.yml').sources[0];
  assert.ok(labels.type === 'postgres' && labels.kind === 'labels' && labels.batch_rows === 50_000);
  assert.throws(() => parseConfig(config('pg-lab', 'x', '', '{ id: a, label: b }'), 'test.yml'), ConfigError);
  assert.throws(
    () => parseConfig(config('pg-lab', 'x', '', '{ id: a, label: b, sequence: s, features: {} }'), 'test.yml'),
    ConfigError,
  );
});

test('PostgreSQL stopped: the labels source is down and counts errors; started: it recovers, nothing twice', async () => {
  await db.query(`CREATE TABLE late_labels (seq bigserial PRIMARY KEY, record_id text, y int)`);
  await db.query('GRANT SELECT ON late_labels TO mlmon');
  await insertLabels('late_labels', [
    ['r1', 1],
    ['r2', 0],
  ]);
  const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-pg-labels-fault-'));
  // One row per read: a full batch is followed by the next read at once.
  const yaml = config('pg-late', 'late_labels', '    batch_rows: 1');
  const parsed = parseConfig(yaml.replace('interval: 1h', 'interval: 300ms'), 'test.yml');
  const { state, sources } = await startState(parsed, { storagePath });
  ingestItems(
    state,
    predictionRecords([1, 2, 3, 4]).map((value) => ({ value })),
    { maxFeatures: 100 },
  );
  const app = buildApp(state, parsed.ingest);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/metrics`;
  const scrape = async () => {
    const response = await fetch(url);
    assert.equal(response.status, 200);
    return response.text();
  };
  const up = async () => metric(await scrape(), 'mlmon_source_up', { source: 'pg-late' });
  const errors = async () =>
    parseMetrics(await scrape())
      .filter((s) => s.name === 'mlmon_source_errors_total' && s.labels.source === 'pg-late')
      .reduce((sum, s) => sum + s.value, 0);
  try {
    for (const source of sources) source.start();
    await waitFor('first read', async () => (joined(state) === 2 ? true : undefined));
    assert.equal(await up(), 1);

    await db.end();
    await server.stop();
    await waitFor('source down', async () => ((await up()) === 0 ? true : undefined));
    const first = await errors();
    await waitFor('more errors', async () => ((await errors()) > first ? true : undefined));
    assert.equal(metric(await scrape(), 'mlmon_labels_joined_total', churn), 2);

    await server.start();
    db = await server.connect('truth');
    await insertLabels('late_labels', [
      ['r3', 1],
      ['r4', 0], // wrong: 3 of 4 right
    ]);
    await waitFor('up again', async () => ((await up()) === 1 && joined(state) === 4 ? true : undefined));
    // Two more reads (each success moves the source's last-success time): nothing delivered twice.
    await waitForChanges('two more reads', () => state.sources.get('pg-late')!.lastSuccessMs);
    assert.equal(joined(state), 4);
    assert.equal(unmatched(state), 0);
    assert.equal(accuracy(state), 0.75);
    const reasons = [...state.sources.get('pg-late')!.errors.keys()];
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
