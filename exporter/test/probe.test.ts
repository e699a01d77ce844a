// Integration: the probe source against real HTTP models on loopback (testkit/model-server.ts)
// inside the real exporter. The golden sets are scikit-learn's fixture vectors (perf-golden.json):
// the model answers row i with the fixture's y_pred[i], so the live golden accuracy, F1, RMSE and
// MAE must equal sklearn's values. Faults: hangs, 500s, malformed answers; the exporter stays
// healthy throughout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { probeSourceSchema } from '../src/sources/probe/probe-config.ts';
import { ProbeSource } from '../src/sources/probe/probe.ts';
import { Exporter } from '../src/exporter.ts';
import { startExporter, type RunningExporter } from './helpers/exporter.ts';
import {
  assertClose,
  startModelServer,
  type ModelServer,
  waitFor,
  scrapeText,
  scrapeUntil,
  valueOf,
} from '../../testkit/index.ts';
import { FIXTURES } from './helpers/golden.ts';

interface PerfCase {
  name: string;
  classes?: string[];
  yTrue: number[];
  yPred: number[];
  accuracy?: number;
  macro?: { f1: number };
  binary?: { positive: number; f1: number };
  rmse?: number;
  mae?: number;
  mape?: number;
}
const perf = JSON.parse(readFileSync(`${FIXTURES}perf-golden.json`, 'utf8')) as Record<string, PerfCase[]>;
const multiclass = perf.multiclass.find((c) => c.name === 'four-classes-2dp')!;
const binary = perf.binary.find((c) => c.name === 'coarse-ties')!;
const regression = perf.regression.find((c) => c.name === 'large-values')!;

const dir = mkdtempSync(join(tmpdir(), 'mlmon-probe-'));
let exporter: RunningExporter;
const servers: Record<string, ModelServer> = {};

/** Row i of a golden set is the body {"row": i}; the model answers with the fixture's prediction. */
const rowOf = (body: unknown) => (body as { row: number }).row;

before(async () => {
  servers.classifier = await startModelServer((b) => multiclass.classes![multiclass.yPred[rowOf(b)]]);
  servers.binary = await startModelServer((b) => binary.yPred[rowOf(b)]);
  servers.regressor = await startModelServer((b) => regression.yPred[rowOf((b as { inputs: unknown }).inputs)]);
  servers.slow = await startModelServer(() => 'a');
  servers.slow.delayMs = 150;
  servers.faulty = await startModelServer(() => 0.5);

  // Multiclass golden set as JSONL: {"input": {"row": i}, "label": "<class>"}.
  writeFileSync(
    join(dir, 'multiclass.jsonl'),
    multiclass.yTrue.map((t, row) => JSON.stringify({ input: { row }, label: multiclass.classes![t] })).join('\n'),
  );
  // Binary golden set as JSONL with numeric labels under other field names.
  writeFileSync(
    join(dir, 'binary.jsonl'),
    binary.yTrue.map((t, row) => JSON.stringify({ x: { row }, y: t })).join('\n') + '\n{"x": {"row": 0}}\n',
  );
  // Regression golden set as CSV: the non-label columns are the input, wrapped as {"inputs": {...}}.
  writeFileSync(join(dir, 'regression.csv'), `row,target\n${regression.yTrue.map((y, i) => `${i},${y}`).join('\n')}\n`);
  writeFileSync(
    join(dir, 'payloads.jsonl'),
    '{"inputs": {"row": 0, "probe": 1}}\n\n{"inputs": {"row": 1, "probe": 2}}\n',
  );

  exporter = await startExporter(`
models:
  - name: churn
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }]
sources:
  - type: probe
    name: classifier
    model: churn
    interval: 300ms
    url: ${servers.classifier.url}
    payloads: [{ row: 0 }, { row: 1 }]
    response: { prediction_field: prediction, prediction_type: string }
    golden: { path: ${dir}/multiclass.jsonl, task: classification, rows_per_interval: 1000, concurrency: 8 }
  - type: probe
    name: binary
    model: churn
    interval: 300ms
    url: ${servers.binary.url}
    payloads: [{ row: 0 }]
    response: { prediction_field: prediction }
    golden:
      path: ${dir}/binary.jsonl
      task: classification
      input_field: x
      label_field: y
      positive_class: "1"
      rows_per_interval: 1000
      concurrency: 8
  - type: probe
    name: regressor
    model: churn
    interval: 300ms
    url: ${servers.regressor.url}
    method: PUT
    payloads_file: ${dir}/payloads.jsonl
    response: { prediction_field: prediction, prediction_type: number }
    golden: { path: ${dir}/regression.csv, task: regression, label_field: target, body_field: inputs, rows_per_interval: 120 }
  - type: probe
    name: slow
    model: churn
    interval: 300ms
    url: ${servers.slow.url}
    payloads: [{ row: 0 }]
  - type: probe
    name: faulty
    model: churn
    interval: 200ms
    timeout: 800ms
    url: ${servers.faulty.url}
    headers: { x-probe: mlmon }
    payloads: [{ row: 0 }]
    response: { prediction_field: prediction, prediction_type: number }
`);
});

after(async () => {
  await exporter?.stop();
  for (const server of Object.values(servers)) await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const scrape = () => scrapeText(exporter.url);
const until = (what: string, check: (text: string) => boolean, timeoutMs = 60_000) =>
  scrapeUntil(exporter.url, what, check, timeoutMs);

async function healthy(): Promise<void> {
  assert.equal((await fetch(`${exporter.url}/-/healthy`)).status, 200);
  await scrape();
}

describe('health probes', () => {
  test('a healthy model: success 1, status 200, a latency, the source up', async () => {
    const text = await until(
      'classifier probe',
      (t) => valueOf(t, 'mlmon_probe_success', { source: 'classifier' }) === 1,
    );
    assert.equal(valueOf(text, 'mlmon_probe_http_status_code', { source: 'classifier' }), 200);
    const seconds = valueOf(text, 'mlmon_probe_duration_seconds', { source: 'classifier' })!;
    assert.ok(seconds > 0 && seconds < 1, `latency ${seconds}`);
    assert.equal(valueOf(text, 'mlmon_source_up', { source: 'classifier' }), 1);
    assert.ok(valueOf(text, 'mlmon_probe_requests_total', { source: 'classifier', result: 'success' })! >= 1);
  });

  test('payloads are sent in turn, with the configured method and headers', async () => {
    const probes = () =>
      servers.regressor.bodies.map((b) => (b as { inputs: { probe?: number } }).inputs.probe).filter(Boolean);
    await waitFor('both payloads', async () => (new Set(probes()).size === 2 ? true : undefined));
    const seen = probes();
    assert.deepEqual(
      seen,
      seen.map((_, i) => (i % 2) + 1),
    );
    assert.equal(servers.regressor.last?.method, 'PUT');
    assert.equal(servers.regressor.last?.headers['content-type'], 'application/json');
    await waitFor('a faulty probe', async () => (servers.faulty.last ? true : undefined));
    assert.equal(servers.faulty.last?.method, 'POST');
    assert.equal(servers.faulty.last?.headers['x-probe'], 'mlmon');
  });

  test('the latency is the answer time of the model', async () => {
    const text = await until('slow probe', (t) => valueOf(t, 'mlmon_probe_success', { source: 'slow' }) === 1);
    const seconds = valueOf(text, 'mlmon_probe_duration_seconds', { source: 'slow' })!;
    assert.ok(seconds >= 0.15 && seconds < 1, `latency ${seconds}`);
  });
});

describe('golden sets', () => {
  test('multiclass accuracy and macro F1 of the served answers equal scikit-learn', async () => {
    const text = await until(
      'a golden pass',
      (t) => valueOf(t, 'mlmon_probe_golden_accuracy', { source: 'classifier' }) !== undefined,
    );
    const labels = { source: 'classifier', model: 'churn' };
    assertClose(valueOf(text, 'mlmon_probe_golden_accuracy', labels)!, multiclass.accuracy!, 'accuracy', 1e-12);
    assertClose(valueOf(text, 'mlmon_probe_golden_f1', labels)!, multiclass.macro!.f1, 'macro F1', 1e-12);
    assert.equal(valueOf(text, 'mlmon_probe_golden_samples', labels), multiclass.yTrue.length);
    assert.equal(valueOf(text, 'mlmon_probe_golden_errors', labels), 0);
    assert.ok(valueOf(text, 'mlmon_probe_golden_passes_total', labels)! >= 1);
    assert.equal(valueOf(text, 'mlmon_probe_golden_rmse', labels), undefined);
  });

  test('binary F1 of positive_class equals scikit-learn; numeric labels match numeric answers', async () => {
    const text = await until(
      'a binary pass',
      (t) => valueOf(t, 'mlmon_probe_golden_f1', { source: 'binary' }) !== undefined,
    );
    const labels = { source: 'binary', model: 'churn' };
    assertClose(valueOf(text, 'mlmon_probe_golden_accuracy', labels)!, binary.accuracy!, 'accuracy', 1e-12);
    assertClose(valueOf(text, 'mlmon_probe_golden_f1', labels)!, binary.binary!.f1, 'binary F1', 1e-12);
    // The last line has no label and is left out of the set.
    assert.equal(valueOf(text, 'mlmon_probe_golden_samples', labels), binary.yTrue.length);
  });

  test('regression RMSE, MAE and MAPE over a pass spread across intervals equal scikit-learn', async () => {
    const text = await until(
      'a regression pass',
      (t) => valueOf(t, 'mlmon_probe_golden_rmse', { source: 'regressor' }) !== undefined,
    );
    const labels = { source: 'regressor', model: 'churn' };
    assertClose(valueOf(text, 'mlmon_probe_golden_rmse', labels)!, regression.rmse!, 'RMSE', 1e-12);
    assertClose(valueOf(text, 'mlmon_probe_golden_mae', labels)!, regression.mae!, 'MAE', 1e-12);
    assertClose(valueOf(text, 'mlmon_probe_golden_mape_ratio', labels)!, regression.mape!, 'MAPE', 1e-12);
    assert.equal(valueOf(text, 'mlmon_probe_golden_samples', labels), regression.yTrue.length);
    // 300 rows at 120 a probe: a pass spans three intervals, each also sending a health payload.
    const goldenBodies = servers.regressor.bodies.filter(
      (b) => typeof (b as { inputs?: { row?: number } }).inputs?.row === 'number',
    );
    assert.ok(goldenBodies.length >= regression.yTrue.length);
    assert.ok(
      servers.regressor.bodies.some((b) => JSON.stringify(b) === '{"inputs":{"row":1}}'),
      'second payload sent',
    );
  });
});

describe('faults', () => {
  const faulty = () => servers.faulty;
  const labels = { source: 'faulty' };

  test('a model that hangs: each probe times out after one retry; the source is down', async () => {
    await until('faulty up', (t) => valueOf(t, 'mlmon_probe_success', labels) === 1);
    faulty().mode = 'hang';
    const attempts = (t: string) => valueOf(t, 'mlmon_probe_requests_total', { ...labels, result: 'timeout' }) ?? 0;
    const failed = (t: string) => valueOf(t, 'mlmon_source_errors_total', { ...labels, reason: 'timeout' }) ?? 0;
    const first = await until('a timed-out probe', (t) => valueOf(t, 'mlmon_probe_success', labels) === 0);
    const before = faulty().requests;
    const text = await until('two more timed-out probes', (t) => failed(t) >= failed(first) + 2);
    assert.equal(valueOf(text, 'mlmon_probe_success', labels), 0);
    assert.equal(valueOf(text, 'mlmon_probe_http_status_code', labels), 0);
    const seconds = valueOf(text, 'mlmon_probe_duration_seconds', labels)!;
    // The 800 ms timeout cut a request that would hang forever: at least 0.8 s, and far below a
    // hang (the upper bound leaves room for a busy machine's scheduling, not for a missing timeout).
    assert.ok(seconds >= 0.79 && seconds < 15, `timeout after ${seconds}`);
    assert.equal(valueOf(text, 'mlmon_source_up', labels), 0);
    // Attempts come in pairs: a probe and its single retry.
    assert.equal(attempts(text) - attempts(first), 2 * (failed(text) - failed(first)));
    // The model server saw the retries: the last of the two probes counted after `before` made
    // both its attempts after it (the first may have started before).
    assert.ok(faulty().requests - before >= 2);
    await healthy();
  });

  test('an answer whose body stalls times out too', async () => {
    faulty().mode = 'hang-body';
    const start = valueOf(await scrape(), 'mlmon_probe_requests_total', { ...labels, result: 'timeout' })!;
    await until(
      'body timeouts',
      (t) => valueOf(t, 'mlmon_probe_requests_total', { ...labels, result: 'timeout' })! >= start + 2,
    );
    await healthy();
  });

  test('a 500 is retried once, and a retry that succeeds makes the probe a success', async () => {
    const errorAttempts = (t: string) =>
      valueOf(t, 'mlmon_probe_requests_total', { ...labels, result: 'http_error' }) ?? 0;
    const successAttempts = (t: string) =>
      valueOf(t, 'mlmon_probe_requests_total', { ...labels, result: 'success' }) ?? 0;
    const failed = (t: string) => valueOf(t, 'mlmon_source_errors_total', { ...labels, reason: 'http_error' }) ?? 0;
    // A model answering 500: the probe reports the status and is down.
    faulty().mode = 'error';
    let text = await until('500s', (t) => valueOf(t, 'mlmon_probe_http_status_code', labels) === 500);
    assert.equal(valueOf(text, 'mlmon_probe_success', labels), 0);
    faulty().mode = 'ok';
    let base = await until('recovered', (t) => valueOf(t, 'mlmon_probe_success', labels) === 1);

    // The next two requests to a healthy model answer 500. Nothing is being retried then (the
    // probes succeed), so the first is a probe's first attempt and the second its retry: that
    // probe fails after exactly two attempts, whatever else is in flight or how slow the machine.
    faulty().queue.push('error', 'error');
    text = await until('the probe that got both 500s failed', (t) => failed(t) > failed(base));
    assert.equal(failed(text) - failed(base), 1, 'one probe failed');
    assert.equal(errorAttempts(text) - errorAttempts(base), 2, 'its request and a single retry');

    // One 500 then a healthy answer: the retry succeeds and the probe is no failure.
    base = await until('recovered', (t) => valueOf(t, 'mlmon_probe_success', labels) === 1);
    faulty().queue.push('error');
    text = await until('the retried probe', (t) => errorAttempts(t) > errorAttempts(base));
    assert.equal(errorAttempts(text) - errorAttempts(base), 1);
    assert.equal(failed(text), failed(base), 'the probe whose retry succeeded did not fail');
    assert.ok(successAttempts(text) > successAttempts(base), 'the retry succeeded');
    assert.equal(valueOf(text, 'mlmon_source_up', labels), 1);
  });

  const violations: [string, string][] = [
    ['malformed', 'invalid_json'],
    ['missing-field', 'missing_field'],
    ['wrong-type', 'wrong_type'],
  ];
  for (const [mode, reason] of violations) {
    test(`a ${mode} answer is a schema violation (${reason}), not retried`, async () => {
      const beforeText = await scrape();
      const violationsBefore = valueOf(beforeText, 'mlmon_probe_schema_violations_total', { ...labels, reason }) ?? 0;
      faulty().mode = mode as ModelServer['mode'];
      const requestsBefore = faulty().requests;
      const text = await until(
        `${reason} violations`,
        (t) => (valueOf(t, 'mlmon_probe_schema_violations_total', { ...labels, reason }) ?? 0) >= violationsBefore + 2,
      );
      faulty().mode = 'ok';
      assert.equal(valueOf(text, 'mlmon_probe_success', labels), 0);
      assert.equal(valueOf(text, 'mlmon_probe_http_status_code', labels), 200);
      assert.ok(valueOf(text, 'mlmon_source_errors_total', { ...labels, reason: 'schema_violation' })! >= 2);
      const violationCount =
        valueOf(text, 'mlmon_probe_schema_violations_total', { ...labels, reason })! - violationsBefore;
      // One attempt per probe: no more requests than violations (plus the one in flight).
      assert.ok(faulty().requests - requestsBefore <= violationCount + 1);
      await until('recovered', (t) => valueOf(t, 'mlmon_probe_success', labels) === 1);
    });
  }

  test('a model that is down (connection refused) is a connection error; the others are unaffected', async () => {
    await faulty().close();
    const text = await until(
      'connection errors',
      (t) => (valueOf(t, 'mlmon_source_errors_total', { ...labels, reason: 'connection_error' }) ?? 0) >= 1,
    );
    assert.equal(valueOf(text, 'mlmon_probe_success', labels), 0);
    assert.equal(valueOf(text, 'mlmon_source_up', { source: 'classifier' }), 1);
    await healthy();
  });
});

describe('exposition and config', () => {
  test('probe families are documented in METRICS.md under "## Source: probe" and pass promtool', async () => {
    const text = await scrape();
    const live = [...text.matchAll(/^# TYPE (mlmon_probe_\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]);
    const doc = readFileSync(fileURLToPath(new URL('../METRICS.md', import.meta.url)), 'utf8');
    const section = doc.split(/^## Source: probe$/m)[1]?.split(/^## /m)[0] ?? '';
    const documented = new Map(
      [...section.matchAll(/^\| `(mlmon_[a-z0-9_]+)` +\| (gauge|counter) +\|/gm)].map((m) => [m[1], m[2]]),
    );
    assert.ok(live.length >= 13, `live probe families: ${live.map((l) => l[0])}`);
    for (const [name, type] of live) assert.equal(documented.get(name), type, `${name} in METRICS.md`);
    assert.deepEqual([...documented.keys()].sort(), live.map((l) => l[0]).sort());
    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(result.stdout + result.stderr, '');
    assert.equal(result.status, 0);
  });

  test('a config reload (sources stopped and rebuilt) keeps the probe families, written once', async () => {
    const state = new Exporter();
    const config = probeSourceSchema.parse({
      type: 'probe',
      name: 'reloaded',
      model: 'churn',
      interval: '200ms',
      url: servers.slow.url,
      payloads: [{ row: 0 }],
    });
    const context = { sink: state, storagePath: dir };
    const first = new ProbeSource(config, context);
    first.start();
    await waitFor('first probe', async () => (first.last ? true : undefined));
    await first.stop();
    state.sources.clear();
    const second = new ProbeSource(config, context);
    second.start();
    await waitFor('second probe', async () => (second.last ? true : undefined));
    const text = renderMetrics(state);
    await second.stop();
    assert.equal(text.match(/^# TYPE mlmon_probe_success gauge$/gm)?.length, 1);
    assert.equal(valueOf(text, 'mlmon_probe_success', { source: 'reloaded' }), 1);
  });

  test('config errors name the key', () => {
    const base = `models: []\nsources:\n  - type: probe\n    name: p\n    model: m\n    url: http://127.0.0.1:1/\n`;
    assert.throws(() => parseConfig(base), /sources\.0\.payloads: set exactly one of payloads and payloads_file/);
    assert.throws(
      () => parseConfig(`${base}    payloads: [{}]\n    golden: { path: g.jsonl, task: regression }\n`),
      /sources\.0\.golden: a golden set needs response\.prediction_field/,
    );
    assert.throws(() => parseConfig(`${base}    payloads: [{}]\n    retries: 2\n`), /sources\.0\.retries/);
    assert.throws(() => parseConfig(`${base}    payloads: [{}]\n    timeout: soon\n`), /sources\.0\.timeout/);
    const ok = parseConfig(`${base}    payloads: [{a: 1}]\n`);
    assert.equal(ok.sources[0].type, 'probe');
  });
});
