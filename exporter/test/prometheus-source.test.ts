// Integration: a loopback "model server" exposes a text-format histogram, a real Prometheus
// (Debian's package) scrapes it, and the prometheus source queries it back inside the real
// exporter. The statistics must equal values computed here, independently, from the known bucket
// counts. Prometheus going away (through a proxy the test can switch off) marks the source down,
// counts errors, and the source recovers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ksPValue } from '../src/stats/index.ts';
import { startExporter, type RunningExporter } from './helpers/exporter.ts';
import {
  assertClose,
  startPrometheus,
  waitFor,
  type RunningPrometheus,
  scrapeUntil,
  valueOf,
} from '../../testkit/index.ts';
import { FIXTURES } from './helpers/golden.ts';

// Bucket upper bounds and per-bucket counts per scrape of the two served series. `le` is written
// as the model server would (Prometheus 2 keeps the text: "1.0" stays "1.0").
const LES = ['0.1', '0.25', '0.5', '0.75', '1.0', '+Inf'];
const SHIFTED = [2, 4, 10, 30, 50, 4]; // per bucket, model="a": scores moved up
const STABLE = [10, 25, 30, 20, 12, 3]; // per bucket, model="b"
/** The fixed reference: cumulative counts with le 0.1 … 1 and +Inf, plus 0.9, which the server lacks. */
const REFERENCE_BINS = [100, 250, 300, 200, 80, 40, 30];
const REFERENCE_LES = [0.1, 0.25, 0.5, 0.75, 0.9, 1, '+Inf'] as const;

let scrapes = 0;
let histogramServer: Server;
let prometheus: RunningPrometheus;
let proxy: { port: number; up(): Promise<void>; down(): Promise<void> };
let exporter: RunningExporter;

function exposition(): string {
  scrapes++;
  const lines = ['# HELP model_prediction_score Prediction scores.', '# TYPE model_prediction_score histogram'];
  for (const [model, bins] of [
    ['a', SHIFTED],
    ['b', STABLE],
  ] as const) {
    let cumulative = 0;
    bins.forEach((n, i) => {
      cumulative += n * scrapes;
      lines.push(`model_prediction_score_bucket{model="${model}",le="${LES[i]}"} ${cumulative}`);
    });
    lines.push(`model_prediction_score_sum{model="${model}"} ${cumulative * 0.5}`);
    lines.push(`model_prediction_score_count{model="${model}"} ${cumulative}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A loopback HTTP proxy in front of Prometheus that can be closed (connection refused) and reopened:
 * the first start binds port 0, a reopening takes the same port back.
 */
async function startProxy(target: string): Promise<typeof proxy> {
  let port = 0;
  let server: Server | undefined;
  const up = async () => {
    server = createServer(async (req, res) => {
      try {
        const answer = await fetch(`${target}${req.url}`);
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch {
        res.writeHead(502).end();
      }
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  };
  const down = async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    server = undefined;
  };
  await up();
  return { port, up, down };
}

before(async () => {
  histogramServer = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition());
  });
  await new Promise<void>((resolve) => histogramServer.listen(0, '127.0.0.1', resolve));
  const port = (histogramServer.address() as { port: number }).port;
  prometheus = await startPrometheus({ jobs: [{ name: 'mlmon', targets: [`127.0.0.1:${port}`] }] });
  proxy = await startProxy(prometheus.url);
  // increase() needs two samples in the window; the offset reference needs them 4 s back too.
  await waitFor('ten scrapes', async () => (scrapes >= 10 ? true : undefined), 30_000);
  const buckets = REFERENCE_LES.map((le, i) => ({
    le,
    count: REFERENCE_BINS.slice(0, i + 1).reduce((s, n) => s + n, 0),
  }));
  exporter = await startExporter(`
models:
  - name: scorer
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }]
sources:
  - type: prometheus
    name: fixed
    model: scorer
    interval: 500ms
    url: http://127.0.0.1:${proxy.port}
    metric: model_prediction_score
    selector: 'model="a"'
    windows: [30s, 1h]
    reference:
      buckets: ${JSON.stringify(buckets)}
    min_samples: 100
  - type: prometheus
    name: moving
    model: scorer
    interval: 500ms
    url: ${prometheus.url}/
    metric: model_prediction_score
    selector: 'model="b"'
    windows: [4s]
    reference: { offset: 4s }
    min_samples: 100
  - type: prometheus
    name: broken-query
    model: scorer
    interval: 500ms
    url: ${prometheus.url}
    metric: model_prediction_score
    selector: 'model=~"("'
    reference: { offset: 1h }
  - type: prometheus
    name: no-data
    model: scorer
    interval: 500ms
    url: ${prometheus.url}
    metric: no_such_histogram
    reference: { offset: 1h }
`);
});

after(async () => {
  await exporter?.stop();
  await proxy?.down();
  await prometheus?.stop();
  await new Promise((resolve) => histogramServer?.close(resolve));
});

const until = (what: string, check: (text: string) => boolean, timeoutMs = 20_000) =>
  scrapeUntil(exporter.url, what, check, timeoutMs);

// Independent computations from the known bucket counts (shares only: increase() scales every
// bucket of a scrape by the same factor, so the shares are exact).
function shares(bins: number[]): number[] {
  const total = bins.reduce((s, n) => s + n, 0);
  return bins.map((n) => n / total);
}
function expectedD(ref: number[], cur: number[]): number {
  const p = shares(ref);
  const q = shares(cur);
  let d = 0;
  let cp = 0;
  let cq = 0;
  for (let i = 0; i < p.length - 1; i++) {
    cp += p[i];
    cq += q[i];
    d = Math.max(d, Math.abs(cp - cq));
  }
  return d;
}
function expectedPsi(ref: number[], cur: number[]): number {
  const p = shares(ref).map((s) => (s === 0 ? 1e-4 : s));
  const q = shares(cur).map((s) => (s === 0 ? 1e-4 : s));
  return p.reduce((sum, pi, i) => sum + (q[i] - pi) * Math.log(q[i] / pi), 0);
}
function expectedJs(ref: number[], cur: number[]): number {
  const p = shares(ref);
  const q = shares(cur);
  let kl = 0;
  p.forEach((pi, i) => {
    const m = (pi + q[i]) / 2;
    if (pi > 0) kl += pi * Math.log2(pi / m);
    if (q[i] > 0) kl += q[i] * Math.log2(q[i] / m);
  });
  return Math.sqrt(kl / 2);
}

/** The reference on the le values it shares with the served histogram: 0.9 is dropped (merged). */
const REFERENCE_SHARED = [100, 250, 300, 200, 80 + 40, 30];

describe('prometheus source against a real Prometheus', () => {
  test('fixed reference: KS D, PSI and JS equal the values computed from the bucket counts', async () => {
    const labels = { source: 'fixed', model: 'scorer', window: '30s' };
    const text = await until('fixed statistics', (t) => valueOf(t, 'mlmon_buckets_ks_statistic', labels) !== undefined);
    const d = valueOf(text, 'mlmon_buckets_ks_statistic', labels)!;
    assertClose(d, expectedD(REFERENCE_SHARED, SHIFTED), 'KS D', 1e-9);
    assertClose(valueOf(text, 'mlmon_buckets_psi', labels)!, expectedPsi(REFERENCE_SHARED, SHIFTED), 'PSI', 1e-9);
    assertClose(
      valueOf(text, 'mlmon_buckets_jensen_shannon_distance', labels)!,
      expectedJs(REFERENCE_SHARED, SHIFTED),
      'JS',
      1e-9,
    );
    assert.equal(valueOf(text, 'mlmon_buckets_compared', labels), 6);
    assert.equal(valueOf(text, 'mlmon_buckets_reference_samples', labels), 1000);
    const samples = valueOf(text, 'mlmon_buckets_samples', labels)!;
    assert.ok(samples >= 100, `samples ${samples}`);
    assertClose(
      valueOf(text, 'mlmon_buckets_ks_pvalue', labels)!,
      ksPValue(expectedD(REFERENCE_SHARED, SHIFTED), 1000, Math.round(samples)),
      'KS p-value',
      1e-6,
    );
    assert.ok(valueOf(text, 'mlmon_buckets_ks_pvalue', labels)! < 1e-6, 'a clear shift');
    assert.ok(valueOf(text, 'mlmon_buckets_chi2_pvalue', labels)! < 1e-6);
    // Both windows are exported.
    assert.ok(valueOf(text, 'mlmon_buckets_ks_statistic', { ...labels, window: '1h' })! > 0);
    assert.equal(valueOf(text, 'mlmon_source_up', { source: 'fixed' }), 1);
  });

  test('offset reference of an unchanged histogram: D, PSI and JS are 0 (to rounding)', async () => {
    const labels = { source: 'moving', model: 'scorer', window: '4s' };
    const text = await until('moving statistics', (t) => valueOf(t, 'mlmon_buckets_psi', labels) !== undefined);
    assert.ok(valueOf(text, 'mlmon_buckets_ks_statistic', labels)! < 1e-9);
    assert.ok(Math.abs(valueOf(text, 'mlmon_buckets_psi', labels)!) < 1e-9);
    assert.ok(valueOf(text, 'mlmon_buckets_jensen_shannon_distance', labels)! < 1e-6);
    assert.ok(valueOf(text, 'mlmon_buckets_reference_samples', labels)! > 0);
    assert.equal(valueOf(text, 'mlmon_buckets_ks_pvalue', labels), 1);
  });

  test('a query Prometheus rejects marks the source down with query_error; no data is not an error', async () => {
    const text = await until(
      'query errors',
      (t) =>
        (valueOf(t, 'mlmon_source_errors_total', { source: 'broken-query', reason: 'query_error' }) ?? 0) >= 1 &&
        valueOf(t, 'mlmon_source_up', { source: 'no-data' }) === 1,
    );
    assert.equal(valueOf(text, 'mlmon_source_up', { source: 'broken-query' }), 0);
    assert.equal(valueOf(text, 'mlmon_buckets_samples', { source: 'no-data', window: '1h' }), 0);
    assert.equal(valueOf(text, 'mlmon_buckets_psi', { source: 'no-data' }), undefined);
  });

  test('Prometheus down: source_up 0, errors counted, statistics withdrawn; back: recovers', async () => {
    await proxy.down();
    let text = await until(
      'connection errors',
      (t) => (valueOf(t, 'mlmon_source_errors_total', { source: 'fixed', reason: 'connection_error' }) ?? 0) >= 2,
    );
    assert.equal(valueOf(text, 'mlmon_source_up', { source: 'fixed' }), 0);
    assert.equal(valueOf(text, 'mlmon_buckets_ks_statistic', { source: 'fixed' }), undefined);
    assert.equal(valueOf(text, 'mlmon_source_up', { source: 'moving' }), 1, 'the other sources are unaffected');
    assert.equal((await fetch(`${exporter.url}/-/healthy`)).status, 200);
    await proxy.up();
    text = await until('recovered', (t) => valueOf(t, 'mlmon_source_up', { source: 'fixed' }) === 1);
    await until('statistics back', (t) => valueOf(t, 'mlmon_buckets_ks_statistic', { source: 'fixed' }) !== undefined);
  });

  test('histogram families are documented in METRICS.md under "## Source: prometheus" and pass promtool', async () => {
    const text = await until(
      'all families',
      (t) => valueOf(t, 'mlmon_buckets_ks_statistic', { source: 'fixed' }) !== undefined,
    );
    const live = [...text.matchAll(/^# TYPE (mlmon_buckets_\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]);
    const doc = readFileSync(fileURLToPath(new URL('../METRICS.md', import.meta.url)), 'utf8');
    const section = doc.split(/^## Source: prometheus$/m)[1]?.split(/^## /m)[0] ?? '';
    const documented = new Map(
      [...section.matchAll(/^\| `(mlmon_[a-z0-9_]+)` +\| (gauge|counter) +\|/gm)].map((m) => [m[1], m[2]]),
    );
    assert.equal(live.length, 9, `live histogram families: ${live.map((l) => l[0])}`);
    for (const [name, type] of live) assert.equal(documented.get(name), type, `${name} in METRICS.md`);
    assert.deepEqual([...documented.keys()].sort(), live.map((l) => l[0]).sort());
    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(result.stdout + result.stderr, '');
    assert.equal(result.status, 0);
  });
});
