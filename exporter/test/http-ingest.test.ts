// Bad input over HTTP: the right status and body naming the record and field, the good records
// of a batch still counted, bounded series under a flood, and the exporter keeps serving.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startExporter, postRecords, type RunningExporter } from './helpers/exporter.ts';
import { FIXTURES } from './helpers/golden.ts';

let exporter: RunningExporter;

before(async () => {
  exporter = await startExporter(`
models:
  - name: m
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: color, type: categorical }]
    max_categories: 3
ingest:
  max_request_bytes: 200000
  max_depth: 16
`);
});
after(() => exporter?.stop());

const records = async () => exporter.state.models.get('m')!.windows.recordsTotal;

test('one JSON record is accepted', async () => {
  const answer = await postRecords(exporter.url, JSON.stringify({ model: 'm', features: { x: 1.5, color: 'red' } }));
  assert.deepEqual(answer, { status: 200, body: { accepted: 1, late: 0, rejected: [] } });
});

test('a batch keeps its good records and names the bad record and field', async () => {
  const before = await records();
  const aMinuteAgo = new Date(Date.now() - 60_000).toISOString(); // inside every window, whatever the day
  const batch = [
    { model: 'm', features: { x: 1 } },
    { model: 'm', features: 'x=1' },
    { model: 'm', features: { x: 2 }, timestamp: 'yesterday' },
    { model: 'm', features: { x: 3 }, prediction: { p: 1 } },
    { model: 'm', feature: { x: 3 } },
    { model: 'm', features: { x: 4 }, timestamp: aMinuteAgo, id: 'a', model_version: 'v1' },
  ];
  const answer = await postRecords(exporter.url, JSON.stringify(batch));
  assert.equal(answer.status, 200);
  assert.equal(answer.body.accepted, 2);
  assert.deepEqual(answer.body.rejected, [
    { index: 1, field: 'features', reason: 'expected_object' },
    { index: 2, field: 'timestamp', reason: 'invalid_timestamp' },
    { index: 3, field: 'prediction', reason: 'expected_number_or_string' },
    { index: 4, field: 'feature', reason: 'unknown_field' },
  ]);
  assert.equal(await records(), before + 2);
});

test('a value of the wrong type is a schema violation: counted, the record kept', async () => {
  const answer = await postRecords(exporter.url, JSON.stringify({ model: 'm', features: { x: 'high', color: 3 } }));
  assert.equal(answer.status, 200);
  const metrics = await (await fetch(`${exporter.url}/metrics`)).text();
  assert.match(metrics, /mlmon_schema_violations_total\{model="m",feature="x",reason="expected_number"\} 1/);
  assert.match(metrics, /mlmon_schema_violations_total\{model="m",feature="color",reason="expected_string"\} 1/);
});

test('NDJSON: a malformed line costs only that line', async () => {
  const body = [
    '{"model":"m","features":{"x":1}}',
    '{"model":"m","features":',
    '{"model":"m","features":{"x":2}}',
  ].join('\n');
  const answer = await postRecords(exporter.url, body, 'application/x-ndjson');
  assert.equal(answer.status, 200);
  assert.equal(answer.body.accepted, 2);
  assert.deepEqual(answer.body.rejected, [{ index: 1, field: '', reason: 'invalid_json' }]);
});

test('malformed JSON is a 400 whose error says why', async () => {
  const answer = await postRecords(exporter.url, '{"model": "m", "features": {');
  assert.equal(answer.status, 400);
  assert.match(answer.body.error!, /invalid JSON/);
});

test('a batch whose records all fail is a 400 listing each', async () => {
  const answer = await postRecords(exporter.url, JSON.stringify([{ model: 'm' }, { model: 'm', features: [] }]));
  assert.equal(answer.status, 400);
  assert.deepEqual(answer.body.rejected, [
    { index: 0, field: 'features', reason: 'missing' },
    { index: 1, field: 'features', reason: 'expected_object' },
  ]);
});

test('no record naming a known model is a 404', async () => {
  const answer = await postRecords(exporter.url, JSON.stringify([{ model: 'other', features: { x: 1 } }]));
  assert.equal(answer.status, 404);
  assert.deepEqual(answer.body.rejected, [{ index: 0, field: 'model', reason: 'unknown_model' }]);
});

test('an oversized body is a 413 and another content type a 415', async () => {
  const big = JSON.stringify({ model: 'm', features: { x: 1, pad: 'y'.repeat(300_000) } });
  const tooBig = await postRecords(exporter.url, big);
  assert.equal(tooBig.status, 413);
  assert.match(tooBig.body.error!, /exceeds 200000 bytes/);
  const wrongType = await postRecords(exporter.url, 'x=1', 'text/plain');
  assert.equal(wrongType.status, 415);
  assert.match(wrongType.body.error!, /application\/x-ndjson/);
});

test('deep nesting is refused before parsing, quickly', async () => {
  const deep = '['.repeat(50_000) + ']'.repeat(50_000);
  const started = performance.now();
  const answer = await postRecords(exporter.url, deep);
  assert.equal(answer.status, 400);
  assert.match(answer.body.error!, /deeper than 16/);
  assert.ok(performance.now() - started < 2000);
});

test('a flood of distinct categories and feature names keeps the series under the caps', async () => {
  const flood = Array.from({ length: 20_000 }, (_, i) => ({
    model: 'm',
    features: { x: i % 7, color: `color-${i}`, [`f${i}`]: 1 },
  }));
  let accepted = 0;
  for (let start = 0; start < flood.length; start += 2000) {
    const batch = flood.slice(start, start + 2000).map((r) => JSON.stringify(r));
    const answer = await postRecords(exporter.url, batch.join('\n'), 'application/x-ndjson');
    assert.equal(answer.status, 200);
    accepted += answer.body.accepted;
  }
  assert.equal(accepted, 20_000);
  const metrics = await (await fetch(`${exporter.url}/metrics`)).text();
  const colorBins = metrics
    .split('\n')
    .filter((l) => l.startsWith('mlmon_feature_bin_observations_total{model="m",feature="color"'));
  assert.equal(colorBins.length, 4); // max_categories 3 + __other__
  assert.match(metrics, /mlmon_unknown_features_total\{model="m"\} 20000/);
  assert.ok(!metrics.includes('color-19999') && !metrics.includes('f19999'));
});

test('after all that the exporter still serves', async () => {
  assert.equal((await fetch(`${exporter.url}/-/healthy`)).status, 200);
  assert.equal((await fetch(`${exporter.url}/-/ready`)).status, 200);
  const metrics = await (await fetch(`${exporter.url}/metrics`)).text();
  assert.match(metrics, /mlmon_records_rejected_total\{reason="invalid_json"\} \d+/);
});
