// Snapshots keep the label-free estimation's sums and the segments' windows, on the real process:
// after SIGTERM and a restart the estimated performance and a segment's drift series are those
// before; a changed segment config empties the segments only, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { captureSnapshot } from '../src/snapshot/capture.ts';
import { decodeSnapshot, PREAMBLE_BYTES } from '../src/snapshot/format.ts';
import { SNAPSHOT_FILE, restoreSnapshot } from '../src/snapshot/restore.ts';
import { SnapshotScheduler } from '../src/snapshot/scheduler.ts';
import { startState } from '../src/startup.ts';
import { asOlderFormat } from './helpers/snapshot-format.ts';
import { CBPE_REFERENCE, cbpeGolden } from './helpers/cbpe-golden.ts';
import { metricValue, startExporterProcess, type ExporterProcess } from './helpers/snapshot-process.ts';
import { parseMetrics, scrapeText, tempDir } from '../../testkit/index.ts';

const window = cbpeGolden.windows[1];
const bandOf = (x: number) => (x >= 0 ? 'high' : 'low');
const FLAGS = ['--storage.snapshot-interval=1h']; // only the final snapshot holds the records

/** The CBPE fixture's reference, with a segment column `band` of `bandOfRow(row, x)`, in `dir`. */
function writeReference(dir: string, bandOfRow: (row: number, x: number) => string): string {
  const [header, ...rows] = readFileSync(CBPE_REFERENCE, 'utf8').trim().split('\n');
  const reference = join(dir, 'reference.csv');
  const banded = rows.map((row, i) => `${row},${bandOfRow(i, Number(row.split(',')[0]))}`);
  writeFileSync(reference, [`${header},band`, ...banded].join('\n') + '\n');
  return reference;
}

/** Model s on `reference`: segmented by band with `segmentValues` kept values (none: unsegmented). */
function configText(reference: string, segmentValues?: number, labelled = CBPE_REFERENCE): string {
  const segments = segmentValues === undefined ? '' : `    segments: [band]\n    segment_values: ${segmentValues}\n`;
  return `models:
  - name: s
    reference: { path: ${reference} }
    features: [{ name: x }, { name: band, type: categorical }]
    prediction: { name: score }
    windows: [1h, 24h]
${segments}    min_samples: 50
    performance:
      positive_class: '1'
      negative_class: '0'
      threshold: ${cbpeGolden.threshold}
      estimation: { reference: { path: ${labelled} }, min_labelled: 100 }
`;
}

/** The band (x's sign) reference and a config of model s in `dir`: the config's path. */
function writeSetup(dir: string, segmentValues: number, labelled = CBPE_REFERENCE): string {
  const config = join(dir, 'mlmon.yml');
  writeFileSync(
    config,
    configText(
      writeReference(dir, (_, x) => bandOf(x)),
      segmentValues,
      labelled,
    ),
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

/** A snapshot of model s after the fixture's window, written by a real process (SIGTERM). */
async function writtenSnapshot(config: string, storage: string): Promise<Buffer> {
  const exporter = await startExporterProcess(config, storage, FLAGS);
  try {
    await feed(exporter.url);
  } finally {
    await stop(exporter);
  }
  return readFileSync(join(storage, SNAPSHOT_FILE));
}

test('estimation sums of another calibration map are not restored: reason "calibration", the rest is', async () => {
  const dir = tempDir('snapshot-calibration');
  const labelled = join(dir, 'labelled.csv');
  const lines = readFileSync(CBPE_REFERENCE, 'utf8').trim().split('\n');
  writeFileSync(labelled, lines.join('\n') + '\n');
  const config = writeSetup(dir, 5, labelled);
  const file = await writtenSnapshot(config, join(dir, 'storage'));
  writeFileSync(labelled, lines.slice(0, -300).join('\n') + '\n'); // same path, another map
  const { state } = await startState(parseConfig(readFileSync(config, 'utf8'), config));
  const report = restoreSnapshot(file, state.models);
  assert.deepEqual(report.restored, ['s']);
  assert.deepEqual(
    report.failures.map((f) => [f.model, f.reason]),
    [['s', 'calibration']],
  );
  const text = renderMetrics(state);
  assert.match(text, new RegExp(`mlmon_model_window_records\\{model="s",window="1h"\\} ${window.scores.length}\n`));
  // The estimates start empty, the whole model's and the segments'; the segments' windows are back.
  const estimated = text.split('\n').filter((line) => line.startsWith('mlmon_performance_estimated_samples{'));
  assert.ok(estimated.length >= 3, estimated.join('\n'));
  assert.deepEqual(new Set(estimated.map((line) => line.split(' ')[1])), new Set(['0']));
  const high = window.x.filter((x) => bandOf(x) === 'high').length;
  assert.ok(
    text.includes(`mlmon_model_window_records{model="s",segment="band",segment_value="high",window="1h"} ${high}\n`),
  );
});

test('a format-2 snapshot restores the model; estimation and segments start empty with reason "version"', async () => {
  const dir = tempDir('snapshot-format-2');
  const config = writeSetup(dir, 5);
  const { state: writer } = await startState(parseConfig(readFileSync(config, 'utf8'), config));
  const file = asOlderFormat(await writtenSnapshot(config, join(dir, 'storage')), 2, writer);
  const { state } = await startState(parseConfig(readFileSync(config, 'utf8'), config));
  const report = restoreSnapshot(file, state.models);
  assert.deepEqual(report.restored, ['s']);
  assert.deepEqual(
    report.failures.map((f) => [f.model, f.reason, f.message]),
    [['s', 'version', 'snapshot format 2 did not keep the estimation sums or the segments']],
  );
  assert.match(
    renderMetrics(state),
    new RegExp(`mlmon_model_window_records\\{model="s",window="1h"\\} ${window.scores.length}\n`),
  );
});

test('a model of 20 segments snapshots within the documented size and is read back whole', async () => {
  const dir = tempDir('snapshot-size');
  const reference = writeReference(dir, (row) => `v${row % 20}`);
  const config = (segmentValues?: number) => parseConfig(configText(reference, segmentValues), 'test.yml');
  const segmented = config(20);
  const { state } = await startState(segmented);
  const now = Date.now();
  window.scores.forEach((score, row) => {
    const record = { model: 's', features: { x: window.x[row], band: `v${row % 20}` }, prediction: score };
    state.models.get('s')!.record({ ...record, timestampMs: now }, now);
  });
  const storage = join(dir, 'storage');
  assert.equal(await new SnapshotScheduler(state, { dir: storage, intervalMs: 1000 }).snapshot(), true);
  const size = statSync(join(storage, SNAPSHOT_FILE)).size;

  // RELIABILITY.md: the rings of the unsegmented model × (1 + S) plus the header, S = 20 + 1.
  const { header: plain } = captureSnapshot((await startState(config())).state.models);
  const ringBytes = (windows: { length: number }[] = []) => windows.reduce((sum, w) => sum + w.length, 0);
  const model = plain.models[0];
  const perModel =
    ringBytes(model.windows) + ringBytes(model.performance?.windows) + ringBytes(model.estimation?.windows);
  const { header: written } = decodeSnapshot(readFileSync(join(storage, SNAPSHOT_FILE)));
  const headerBytes = size - PREAMBLE_BYTES - ringBytesOf(written);
  assert.ok(headerBytes < 64 * 1024, `header ${headerBytes} bytes`);
  assert.ok(size <= PREAMBLE_BYTES + headerBytes + 21 * perModel, `${size} > ${21 * perModel} + header`);
  assert.ok(size > 20 * ringBytes(model.estimation?.windows), 'the segments are in it');

  const restarted = await startState(segmented, { storagePath: storage, restoreSnapshot: true });
  assert.deepEqual(restarted.restore!.failures, []);
  const text = renderMetrics(restarted.state, now);
  const v7 = window.scores.filter((_, row) => row % 20 === 7).length;
  assert.ok(
    text.includes(
      `mlmon_performance_estimated_samples{model="s",segment="band",segment_value="v7",window="1h"} ${v7}\n`,
    ),
  );
});

/** Payload bytes named by a header: every ring of every model and segment. */
function ringBytesOf(header: ReturnType<typeof decodeSnapshot>['header']): number {
  let total = 0;
  const add = (windows: { length: number }[] = []) => windows.forEach((w) => (total += w.length));
  for (const model of header.models) {
    add(model.windows);
    add(model.performance?.windows);
    add(model.estimation?.windows);
    for (const column of model.segments ?? []) {
      for (const segment of column.segments) {
        add(segment.windows);
        add(segment.performance?.windows);
        add(segment.estimation);
      }
    }
  }
  return total;
}
