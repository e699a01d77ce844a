// Cardinality flood: a million records, each with a category value and a feature name never seen
// before. Series stay under the configured caps, the overflow is counted, and memory stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseConfig } from '../src/config/load.ts';
import { buildApp } from '../src/server/app.ts';
import { startState } from '../src/startup.ts';
import { FIXTURES } from './helpers/golden.ts';

const RECORDS = 1_000_000;
const BATCH = 20_000;

function heapUsed(): number {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

test('a million distinct category values and feature names keep the series under the caps', async () => {
  const config = parseConfig(`
models:
  - name: m
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: color, type: categorical }]
    max_categories: 3
`);
  const { state } = await startState(config);
  const app = buildApp(state, config.ingest);
  await app.ready();
  // The model's series: the runtime's own (nodejs_gc_* per GC kind seen) may grow with any workload.
  const seriesCount = async () =>
    (await app.inject({ method: 'GET', url: '/metrics' })).body.split('\n').filter((l) => l.startsWith('mlmon_'))
      .length;
  await app.inject({
    method: 'POST',
    url: '/api/v1/records',
    headers: { 'content-type': 'application/json' },
    // Enough ordinary records that every statistic is exported before the flood starts.
    payload: JSON.stringify(
      Array.from({ length: 2000 }, (_, i) => ({ model: 'm', features: { x: i % 5, color: 'red' } })),
    ),
  });
  const seriesBefore = await seriesCount();
  const heapBefore = heapUsed();
  for (let start = 0; start < RECORDS; start += BATCH) {
    const lines = [];
    for (let i = start; i < start + BATCH; i++) {
      lines.push(`{"model":"m","features":{"x":${i % 97},"color":"c-${i}","feature-${i}":1}}`);
    }
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: lines.join('\n'),
    });
    assert.equal(response.statusCode, 200);
  }
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.equal(await seriesCount(), seriesBefore, 'not one series more');
  assert.match(metrics, new RegExp(`mlmon_unknown_features_total\\{model="m"\\} ${RECORDS}`));
  const other =
    /mlmon_feature_bin_observations_total\{model="m",feature="color",bin="__other__",range="__other__"\} (\d+)/.exec(
      metrics,
    );
  assert.equal(Number(other?.[1]), RECORDS, 'every new category counts in __other__');
  assert.ok(!metrics.includes('c-999999') && !metrics.includes('feature-999999'));
  const grown = heapUsed() - heapBefore;
  assert.ok(grown < 16 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MiB after ${RECORDS} records`);
  await app.close();
});
