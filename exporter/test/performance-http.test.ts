// Model performance end to end: predictions over HTTP, delayed labels joined by id, and the
// window metrics on /metrics equal scikit-learn's on the same data (fixtures/perf-golden.json,
// made by fixtures/make_perf_fixtures.py).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postRecords, startExporter, type RunningExporter } from './helpers/exporter.ts';
import { assertClose } from '../../testkit/index.ts';
import { FIXTURES } from './helpers/golden.ts';

interface Classification {
  classes: string[];
  yTrue: number[];
  yPred: number[];
  scores: number[] | number[][];
  accuracy: number;
  auroc: number;
  binary?: { precision: number; recall: number; f1: number };
  macro: { precision: number; recall: number; f1: number };
}
const golden = JSON.parse(readFileSync(`${FIXTURES}perf-golden.json`, 'utf8')) as {
  binary: Classification[];
  multiclass: Classification[];
  regression: { yTrue: number[]; yPred: number[]; rmse: number; mae: number; mape: number }[];
};
const binary = golden.binary[0];
const multiclass = golden.multiclass[0];
const regression = golden.regression[0];

let exporter: RunningExporter;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-perf-'));
  const csv = (name: string, predictions: (string | number)[]) =>
    writeFileSync(join(dir, name), 'f,pred\n' + predictions.map((p, i) => `${i % 7},${p}`).join('\n'));
  csv('binary.csv', ['0', '1', '1', '0']);
  csv('multi.csv', multiclass.classes);
  csv('regression.csv', [1.5, 2.5, 3.5]);
  exporter = await startExporter(`
models:
  - name: binary
    reference: { path: ${dir}/binary.csv }
    prediction: { name: pred, type: categorical }
    performance: { positive_class: '1' }
    windows: [1h]
  - name: multi
    reference: { path: ${dir}/multi.csv }
    prediction: { name: pred }
    windows: [1h]
  - name: regression
    reference: { path: ${dir}/regression.csv }
    prediction: { name: pred }
    windows: [1h]
`);
});
after(() => exporter?.stop());

async function metric(name: string, model: string): Promise<number> {
  const text = await (await fetch(`${exporter.url}/metrics`)).text();
  const match = new RegExp(`^${name}\\{model="${model}",window="1h"\\} (\\S+)$`, 'm').exec(text);
  assert.ok(match, `${name} for ${model} is on /metrics`);
  return Number(match[1]);
}

async function postLabels(body: object[]) {
  const response = await fetch(`${exporter.url}/api/v1/labels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

test('binary: delayed labels joined by id give sklearn accuracy, precision, recall, F1 and AUROC', async () => {
  const records = binary.yPred.map((p, i) => ({
    model: 'binary',
    features: { f: i % 7 },
    prediction: binary.classes[p],
    scores: { '1': (binary.scores as number[])[i] },
    id: `b${i}`,
  }));
  assert.equal((await postRecords(exporter.url, JSON.stringify(records))).status, 200);
  const labels = binary.yTrue.map((t, i) => ({ model: 'binary', id: `b${i}`, label: binary.classes[t] }));
  const answer = await postLabels(labels);
  assert.equal(answer.status, 200);
  assert.equal(answer.body.joined, labels.length);
  assertClose(await metric('mlmon_performance_accuracy', 'binary'), binary.accuracy, 'accuracy', 1e-9);
  assertClose(await metric('mlmon_performance_precision', 'binary'), binary.binary!.precision, 'precision', 1e-9);
  assertClose(await metric('mlmon_performance_recall', 'binary'), binary.binary!.recall, 'recall', 1e-9);
  assertClose(await metric('mlmon_performance_f1', 'binary'), binary.binary!.f1, 'f1', 1e-9);
  assertClose(await metric('mlmon_performance_auroc', 'binary'), binary.auroc, 'auroc', 1e-9);
  assert.equal(await metric('mlmon_performance_samples', 'binary'), labels.length);
});

test('multiclass: macro averages and one-vs-rest AUROC equal sklearn', async () => {
  const scores = multiclass.scores as number[][];
  const records = multiclass.yPred.map((p, i) => ({
    model: 'multi',
    features: { f: 1 },
    prediction: multiclass.classes[p],
    scores: Object.fromEntries(multiclass.classes.map((c, j) => [c, scores[i][j]])),
    id: `m${i}`,
  }));
  assert.equal((await postRecords(exporter.url, JSON.stringify(records))).status, 200);
  await postLabels(multiclass.yTrue.map((t, i) => ({ model: 'multi', id: `m${i}`, label: multiclass.classes[t] })));
  assertClose(await metric('mlmon_performance_accuracy', 'multi'), multiclass.accuracy, 'accuracy', 1e-9);
  assertClose(await metric('mlmon_performance_f1', 'multi'), multiclass.macro.f1, 'macro f1', 1e-9);
  assertClose(await metric('mlmon_performance_auroc', 'multi'), multiclass.auroc, 'ovr auroc', 1e-9);
});

test('regression: labels inside the records give sklearn RMSE, MAE and MAPE', async () => {
  const records = regression.yPred.map((p, i) => ({
    model: 'regression',
    features: { f: 1 },
    prediction: p,
    label: regression.yTrue[i],
  }));
  assert.equal((await postRecords(exporter.url, JSON.stringify(records))).status, 200);
  assertClose(await metric('mlmon_performance_rmse', 'regression'), regression.rmse, 'rmse', 1e-9);
  assertClose(await metric('mlmon_performance_mae', 'regression'), regression.mae, 'mae', 1e-9);
  assertClose(await metric('mlmon_performance_mape_ratio', 'regression'), regression.mape, 'mape', 1e-9);
});

test('labels: unknown ids are unmatched, bad labels are named, and the join buffer is bounded', async () => {
  const answer = await postLabels([
    { model: 'binary', id: 'nobody', label: '1' },
    { model: 'binary', id: 7, label: '1' },
    { model: 'binary', label: '1' },
  ]);
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, {
    accepted: 1,
    joined: 0,
    unmatched: 1,
    rejected: [
      { index: 1, field: 'id', reason: 'expected_string' },
      { index: 2, field: 'id', reason: 'missing' },
    ],
  });
  const unknownModel = await postLabels([{ model: 'ghost', id: 'a', label: 1 }]);
  assert.equal(unknownModel.status, 404);
  const text = await (await fetch(`${exporter.url}/metrics`)).text();
  assert.match(text, /mlmon_labels_unmatched_total\{model="binary"\} 1/);
  assert.match(text, /mlmon_label_join_buffer_records\{model="binary"\} 0/);
});
