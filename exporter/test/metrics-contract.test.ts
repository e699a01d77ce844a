// The metric contract: the exporter's real output, once records have made every family appear,
// has exactly the mlmon families of METRICS.md with their types, the standard process and Node.js
// runtime families besides, and promtool finds nothing to report.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startExporter, postRecords, type RunningExporter } from './helpers/exporter.ts';
import { driftGolden, FIXTURES } from './helpers/golden.ts';
import { CBPE_REFERENCE, cbpeGolden } from './helpers/cbpe-golden.ts';
import { CATALOG, type FamilyName } from '../src/metrics/catalog.ts';
import { SEGMENT_LABELS, SEGMENTED_FAMILIES } from '../src/metrics/segment-labels.ts';

let exporter: RunningExporter;
let output: string;

before(async () => {
  exporter = await startExporter(`
models:
  - name: numeric-pred
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: color }]
    prediction: { name: level }
    windows: [1h, 24h]
    min_samples: 100
  - name: class-pred
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }]
    prediction: { name: color }
    min_samples: 100
  - name: estimated
    reference: { path: ${CBPE_REFERENCE} }
    features: [{ name: x }]
    prediction: { name: score }
    performance:
      positive_class: '1'
      threshold: 0.5
      estimation: { reference: { path: ${CBPE_REFERENCE} }, min_labelled: 50 }
`);
  const now = Date.now();
  const records: object[] = driftGolden.current_records.slice(0, 500).flatMap((r, i) => [
    { model: 'numeric-pred', features: { x: r.x, color: r.color }, prediction: r.level, label: 2, model_version: 'v2' },
    {
      model: 'class-pred',
      features: { x: r.x },
      prediction: r.color,
      scores: { red: 0.5, green: 0.3, blue: (i % 10) / 50, yellow: 0.01 },
      id: `c${i}`,
      timestamp: new Date(now - i * 1000).toISOString(),
    },
  ]);
  const scores = cbpeGolden.windows[0].scores.slice(0, 100);
  records.push(
    ...scores.map((score, i) => ({ model: 'estimated', features: { x: 0 }, prediction: score, label: i % 2 })),
  );
  records.push(
    { model: 'numeric-pred', features: { x: 'oops', color: 7, surprise: 1 }, prediction: 1 }, // violations, unknown
    { model: 'numeric-pred', features: { x: 1 }, prediction: 1, timestamp: now - 48 * 3600_000 }, // late
    { model: 'numeric-pred', features: { x: 1 }, prediction: 1, timestamp: now + 3600_000 }, // future
    { model: 'nope', features: {} }, // rejected
  );
  assert.equal((await postRecords(exporter.url, '{"model": ')).status, 400); // a source error
  const answer = await postRecords(exporter.url, JSON.stringify(records));
  assert.equal(answer.status, 200);
  const labels = driftGolden.current_records
    .slice(0, 300)
    .map((r, i) => ({ model: 'class-pred', id: `c${i}`, label: r.color }));
  labels.push({ model: 'class-pred', id: 'never-predicted', label: 'red' });
  const labelAnswer = await fetch(`${exporter.url}/api/v1/labels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(labels),
  });
  assert.deepEqual(await labelAnswer.json(), { accepted: 301, joined: 300, unmatched: 1, rejected: [] });
  output = await (await fetch(`${exporter.url}/metrics`)).text();
});

after(() => exporter?.stop());

/** Families of METRICS.md, leaving out the sections of optional sources ("## Source: …"). */
function documentedFamilies(): Map<string, string> {
  const text = readFileSync(fileURLToPath(new URL('../METRICS.md', import.meta.url)), 'utf8');
  const core = text.split(/^## Source: /m)[0];
  return new Map(
    [...core.matchAll(/^\|\s*`(mlmon_[a-z0-9_]+)`\s*\|\s*(gauge|counter|histogram)\s*\|/gm)].map((m) => [m[1], m[2]]),
  );
}

test('the families in /metrics are exactly those of METRICS.md, with the same types', () => {
  const live = new Map([...output.matchAll(/^# TYPE (mlmon_\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  const documented = documentedFamilies();
  assert.ok(documented.size >= 30, `METRICS.md lists ${documented.size} families`);
  assert.deepEqual([...live.keys()].sort(), [...documented.keys()].sort());
  for (const [name, type] of documented) assert.equal(live.get(name), type, `type of ${name}`);
});

test('the process and Node.js runtime families are there, under their standard names', () => {
  for (const name of [
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'process_start_time_seconds',
    'process_open_fds',
    'nodejs_heap_size_used_bytes',
    'nodejs_eventloop_lag_seconds',
  ]) {
    assert.match(output, new RegExp(`^${name} [0-9.e+]+$`, 'm'), name);
  }
});

test('promtool check metrics reports nothing on the live output', () => {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: output, encoding: 'utf8' });
  assert.equal(result.stdout + result.stderr, '');
  assert.equal(result.status, 0);
});

test('no sample is NaN and every label set is unique', () => {
  const samples = output.split('\n').filter((line) => line && !line.startsWith('#'));
  assert.ok(samples.length > 100);
  assert.ok(!samples.some((line) => / NaN$/.test(line)));
  const keys = samples.map((line) => line.slice(0, line.lastIndexOf(' ')));
  assert.equal(new Set(keys).size, keys.length);
});

test("every sample's label names are those the catalog lists for its family", () => {
  for (const line of output.split('\n')) {
    const match = /^(mlmon_[a-z0-9_]+?)(_bucket|_sum|_count)?(?:\{(.*)\})? \S+$/.exec(line);
    if (!match) continue;
    const name = (match[1] in CATALOG ? match[1] : match[1] + (match[2] ?? '')) as FamilyName;
    const names = [...(match[3] ?? '').matchAll(/([a-z_]+)="/g)].map((m) => m[1]).filter((l) => l !== 'le');
    // A segment's series add the segment labels (segments.test.ts checks them).
    const unsegmented = SEGMENTED_FAMILIES.has(name)
      ? names.filter((l) => !SEGMENT_LABELS.includes(l as never))
      : names;
    assert.deepEqual(unsegmented, [...CATALOG[name].labels], line);
  }
});
