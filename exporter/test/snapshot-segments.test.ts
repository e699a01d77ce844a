// Snapshots keep the label-free estimation's sums and the segments' windows, on the real process:
// after SIGTERM and a restart the estimated performance and a segment's drift series are those
// before; a changed segment config empties the segments only, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CBPE_REFERENCE, cbpeGolden } from './helpers/cbpe-golden.ts';
import { metricValue, startExporterProcess, type ExporterProcess } from './helpers/snapshot-process.ts';
import { parseMetrics, scrapeText, tempDir } from '../../testkit/index.ts';

const window = cbpeGolden.windows[1];
const bandOf = (x: number) => (x >= 0 ? 'high' : 'low');
const FLAGS = ['--storage.snapshot-interval=1h']; // only the final snapshot holds the records

/** The CBPE fixture's reference with a segment column `band` (x's sign), and a config of model s. */
function writeSetup(dir: string, segmentValues: number): string {
  const [header, ...rows] = readFileSync(CBPE_REFERENCE, 'utf8').trim().split('\n');
  const reference = join(dir, 'reference.csv');
  writeFileSync(
    reference,
    [`${header},band`, ...rows.map((row) => `${row},${bandOf(Number(row.split(',')[0]))}`)].join('\n') + '\n',
  );
  const config = join(dir, 'mlmon.yml');
  writeFileSync(
    config,
    `models:
  - name: s
    reference: { path: ${reference} }
    features: [{ name: x }, { name: band, type: categorical }]
    prediction: { name: score }
    windows: [1h, 24h]
    segments: [band]
    segment_values: ${segmentValues}
    min_samples: 50
    performance:
      positive_class: '1'
      negative_class: '0'
      threshold: ${cbpeGolden.threshold}
      estimation: { reference: { path: ${CBPE_REFERENCE} }, min_labelled: 100 }
`,
  );
  return config;
}

/** The fixture's window of scores, and the labels of the high band (the self-check per segment). */
async function feed(url: string): Promise<void> {
  const records = window.scores.map((score, row) => ({
    model: 's',
    features: { x: window.x[row], band: bandOf(window.x[row]) },
    prediction: score,
    id: `r${row}`,
  }));
  const post = async (path: string, body: object[]) => {
    const answer = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(answer.status, 200, await answer.text());
  };
  await post('/api/v1/records', records);
  await post(
    '/api/v1/labels',
    window.labels.flatMap((label, row) =>
      bandOf(window.x[row]) === 'high' ? [{ model: 's', id: `r${row}`, label }] : [],
    ),
  );
}

/** The series of a scrape that `keep` selects, by name and labels. */
async function series(url: string, keep: (name: string, labels: Record<string, string>) => boolean) {
  const samples = parseMetrics(await scrapeText(url)).filter((s) => keep(s.name, s.labels));
  return new Map(samples.map((s) => [`${s.name}${JSON.stringify(s.labels)}`, s.value]));
}

const isEstimation = (name: string) => name.startsWith('mlmon_performance_estimat');
const isSegmentDrift = (name: string, labels: Record<string, string>) =>
  labels.segment === 'band' &&
  /^mlmon_(feature_(psi|ks_statistic|wasserstein|mean_shift|samples)|model_window_records|performance_(accuracy|samples))$/.test(
    name,
  );

async function stop(exporter: ExporterProcess): Promise<void> {
  exporter.child.kill('SIGTERM');
  assert.deepEqual(await exporter.exited, { code: 0, signal: null });
}

test('after SIGTERM and a restart, estimated performance and segment drift series equal those before', async (t) => {
  const dir = tempDir('snapshot-segments');
  const config = writeSetup(dir, 5);
  const storage = join(dir, 'storage');
  let exporter = await startExporterProcess(config, storage, FLAGS);
  t.after(() => exporter.child.kill('SIGKILL'));
  await feed(exporter.url);
  const estimation = await series(exporter.url, isEstimation);
  const drift = await series(exporter.url, isSegmentDrift);
  // Whole model and both segments estimate; the high segment's self-check has its labels.
  assert.ok(estimation.size > 60, `${estimation.size} estimation series`);
  assert.ok(
    [...estimation.keys()].some((k) => k.startsWith('mlmon_performance_estimation_error') && k.includes('"high"')),
  );
  const highRecords = [...drift].find(([k]) => k.startsWith('mlmon_model_window_records') && k.includes('"high"'));
  assert.ok(highRecords && highRecords[1] > 0, 'segment high has records');
  await stop(exporter);

  exporter = await startExporterProcess(config, storage, FLAGS);
  assert.deepEqual(await series(exporter.url, isEstimation), estimation);
  assert.deepEqual(await series(exporter.url, isSegmentDrift), drift);
  assert.equal(await metricValue(exporter.url, 'mlmon_snapshot_restored{model="s"}'), 1);
  await stop(exporter);
});

test('a changed segment config starts the segments empty with reason "segments"; the model is restored', async (t) => {
  const dir = tempDir('snapshot-segments-changed');
  const storage = join(dir, 'storage');
  let exporter = await startExporterProcess(writeSetup(dir, 5), storage, FLAGS);
  t.after(() => exporter.child.kill('SIGKILL'));
  await feed(exporter.url);
  const whole = await series(exporter.url, (name, labels) => isEstimation(name) && labels.segment === undefined);
  await stop(exporter);

  // One kept value instead of five: the segments are [high or low, __other__] now.
  exporter = await startExporterProcess(writeSetup(dir, 1), storage, FLAGS);
  assert.match(
    exporter.output(),
    /not restored \(segments\): model s: segment column band: values \[.*\], now \[.*__other__\]/,
  );
  assert.equal(await metricValue(exporter.url, 'mlmon_snapshot_restore_failures_total{reason="segments"}'), 1);
  assert.equal(await metricValue(exporter.url, 'mlmon_snapshot_restored{model="s"}'), 1);
  assert.equal(
    await metricValue(exporter.url, 'mlmon_model_window_records{model="s",window="1h"}'),
    window.scores.length,
  );
  assert.deepEqual(
    await series(exporter.url, (name, labels) => isEstimation(name) && labels.segment === undefined),
    whole,
  );
  const segmentRecords = await series(
    exporter.url,
    (name, labels) => name === 'mlmon_model_window_records' && labels.segment === 'band',
  );
  assert.ok(segmentRecords.size > 0);
  assert.deepEqual(new Set(segmentRecords.values()), new Set([0]));
  await stop(exporter);
});
