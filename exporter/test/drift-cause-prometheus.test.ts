// The cause of a drift end to end: the fixture's records pushed over HTTP to the exporter, scraped
// by a real Prometheus that also evaluates rules/alerts.yml. The bin contributions and drift
// scores Prometheus holds are numpy's (fixtures/make_contributions_fixture.py on the committed
// reference.csv and current.csv), and the pending drift alert's description names the top bins.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startExporter, postRecords, type RunningExporter } from './helpers/exporter.ts';
import { assertClose, RULES_DIR, startPrometheus, waitFor, type RunningPrometheus } from '../../testkit/index.ts';
import { queryOne } from './helpers/prometheus-query.ts';
import { driftGolden, FIXTURES } from './helpers/golden.ts';
import { contributionsGolden } from './helpers/contributions-golden.ts';

const CONFIG = `
models:
  - name: weighted
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: level }, { name: color, type: categorical, importance: 2 }]
    windows: [1h]
    min_samples: 1000
  - name: js
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: level }, { name: color, type: categorical }]
    windows: [1h]
    min_samples: 1000
    drift: { statistic: jensen_shannon, threshold: 0.1, top_bins: 2 }
  - name: calibrated
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: level }, { name: color, type: categorical }]
    windows: [1h]
    min_samples: 1000
    drift: { calibration: false_alarm_rate }
`;

const expected = contributionsGolden.driftFixture;

let exporter: RunningExporter;
let prometheus: RunningPrometheus;

before(async () => {
  exporter = await startExporter(CONFIG);
  for (const model of ['weighted', 'js', 'calibrated']) {
    const ndjson = driftGolden.current_records.map((features) => JSON.stringify({ model, features })).join('\n');
    const answer = await postRecords(exporter.url, ndjson, 'application/x-ndjson');
    assert.equal(answer.status, 200);
  }
  prometheus = await startPrometheus({
    jobs: [{ name: 'mlmon-exporter', targets: [`127.0.0.1:${exporter.port}`] }],
    ruleFiles: [join(RULES_DIR, 'alerts.yml')],
  });
});

after(async () => {
  await prometheus?.stop();
  await exporter?.stop();
});

/** Every series of an expression, once Prometheus has scraped it. */
async function series(expr: string) {
  return waitFor(expr, async () => {
    const result = await prometheus.query(expr);
    return result.length > 0 ? result : undefined;
  });
}

test('PSI model: only the drifted feature has bin contributions, its top 3 bins with numpy values', async () => {
  // color has PSI 0.68 (> 0.2); x (0.19) and level (0.09) do not drift.
  const bins = await series('mlmon_feature_drift_bin_contribution{model="weighted",window="1h"}');
  const color = expected.color;
  assert.deepEqual(
    bins.map((s) => s.metric.feature),
    ['color', 'color', 'color'],
  );
  const byBin = new Map(bins.map((s) => [s.metric.bin, Number(s.value[1])]));
  assert.deepEqual([...byBin.keys()].sort(), color.psiTop.map((i) => color.bins[i]).sort());
  for (const i of color.psiTop) assertClose(byBin.get(color.bins[i])!, color.psiBins[i], `color bin ${color.bins[i]}`);
  // The new category (in __other__) moved most.
  const top = await series('topk(1, mlmon_feature_drift_bin_contribution{model="weighted",feature="color"})');
  assert.equal(top[0].metric.bin, '__other__');
  assert.equal(top[0].metric.range, '__other__');
});

test('PSI model: feature scores weigh each feature by its importance share; they sum to the model score', async () => {
  // Importances 1, 1, 2: shares 1/4, 1/4, 1/2 of each feature's PSI over the threshold 0.2.
  const shares = { x: 0.25, level: 0.25, color: 0.5 };
  let total = 0;
  for (const [feature, share] of Object.entries(shares)) {
    const score = share * (expected[feature].psi / 0.2);
    total += score;
    assertClose(
      await queryOne(prometheus, `mlmon_feature_drift_score{model="weighted",feature="${feature}",window="1h"}`),
      score,
      feature,
    );
  }
  assertClose(await queryOne(prometheus, 'mlmon_model_drift_score{model="weighted",window="1h"}'), total, 'model');
  const ranked = await series('topk(1, mlmon_feature_drift_score{model="weighted",window="1h"})');
  assert.equal(ranked[0].metric.feature, 'color');
});

test('JS model: every drifted feature has its top_bins (2) bins, the terms of the JS divergence', async () => {
  const bins = await series('mlmon_feature_drift_bin_contribution{model="js",window="1h"}');
  assert.equal(bins.length, 6);
  for (const feature of ['x', 'level', 'color']) {
    const want = expected[feature];
    const got = bins.filter((s) => s.metric.feature === feature);
    assert.deepEqual(
      got.map((s) => s.metric.bin).sort(),
      want.jsTop
        .slice(0, 2)
        .map((i) => want.bins[i])
        .sort(),
    );
    for (const s of got) {
      const i = want.bins.indexOf(s.metric.bin);
      assertClose(Number(s.value[1]), want.jsBins[i], `${feature} bin ${s.metric.bin}`, 1e-9, 1e-15);
    }
  }
  const mean = ['x', 'level', 'color'].reduce((sum, f) => sum + expected[f].js / 0.1, 0) / 3;
  assertClose(await queryOne(prometheus, 'mlmon_model_drift_score{model="js",window="1h"}'), mean, 'js model');
});

test("METRICS.md's cardinality budget: a drifting numeric feature has W × (18 + B + top_bins) + 2B + 1 series", async () => {
  // The js model: one window, x in 10 bins, drifting, top_bins 2.
  const page = await (await fetch(`${exporter.url}/metrics`)).text();
  const series = page.split('\n').filter((l) => l.startsWith('mlmon_') && /\{model="js",feature="x"[,}]/.test(l));
  const [W, B, K] = [1, expected.x.bins.length, 2];
  assert.equal(series.length, W * (18 + B + K) + 2 * B + 1);
});

test("a calibrated model's scores are each statistic over its own calibrated threshold", async () => {
  for (const feature of ['x', 'level', 'color']) {
    const selector = `{model="calibrated",feature="${feature}",window="1h"}`;
    const threshold = await queryOne(prometheus, `mlmon_feature_drift_threshold${selector}`);
    assert.ok(threshold < 0.2, `${feature}: calibrated, not the fixed 0.2 (${threshold})`);
    // Score and threshold in one query, so both come from the same scrape: the background
    // calibration may refine the threshold (a nearer window-size bucket) between two scrapes.
    const scoreTimesThreshold = await queryOne(
      prometheus,
      `mlmon_feature_drift_score${selector} * mlmon_feature_drift_threshold${selector}`,
    );
    assertClose(scoreTimesThreshold, expected[feature].psi / 3, feature);
  }
});

test('the pending drift alert describes the top bins, as Prometheus renders the rule template', async () => {
  const alert = await waitFor('MlmonFeatureDriftWarning for weighted/color', async () => {
    const response = await fetch(`${prometheus.url}/api/v1/alerts`);
    const body = (await response.json()) as {
      data: { alerts: { labels: Record<string, string>; annotations: Record<string, string>; state: string }[] };
    };
    return body.data.alerts.find(
      (a) =>
        a.labels.alertname === 'MlmonFeatureDriftWarning' &&
        a.labels.model === 'weighted' &&
        a.labels.feature === 'color',
    );
  });
  assert.equal(alert.state, 'pending');
  const color = expected.color;
  const bins = color.psiTop.map((i) => `${color.bins[i]} (${color.psiBins[i].toFixed(3)})`).join(', ');
  assert.match(alert.annotations.description, new RegExp(`Bins that moved most: ${escape(bins)}\\.`));
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
