// Integration: scores pushed over HTTP without labels, scraped by a real Prometheus, and the
// label-free estimates queried back equal the fixture script's row-level reference implementation
// (scikit-learn's isotonic calibration, NannyML's formulas); then the labels arrive by id and the
// self-check's error is the reference's estimated minus realised value.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startExporter, postRecords, type RunningExporter } from './helpers/exporter.ts';
import { assertClose, startPrometheus, type RunningPrometheus } from '../../testkit/index.ts';
import { queryOne } from './helpers/prometheus-query.ts';
import { CBPE_REFERENCE, cbpeGolden, EXACT_METRICS } from './helpers/cbpe-golden.ts';

let exporter: RunningExporter;
let prometheus: RunningPrometheus;
const windows = cbpeGolden.windows;
const modelOf = (i: number) => `shift${i}`;

before(async () => {
  const models = windows.map(
    (_, i) => `
  - name: ${modelOf(i)}
    reference: { path: ${CBPE_REFERENCE} }
    features: [{ name: x }]
    prediction: { name: score }
    windows: [1h]
    performance:
      positive_class: '1'
      negative_class: '0'
      threshold: ${cbpeGolden.threshold}
      estimation: { reference: { path: ${CBPE_REFERENCE} }, min_labelled: 500 }`,
  );
  exporter = await startExporter(`models:${models.join('')}\n`);
  for (const [i, window] of windows.entries()) {
    const records = window.scores.map((score, row) => ({
      model: modelOf(i),
      features: { x: window.x[row] },
      prediction: score,
      id: `r${row}`,
    }));
    const answer = await postRecords(exporter.url, JSON.stringify(records));
    assert.equal(answer.body.accepted, records.length);
  }
  // The last window's labels arrive now; the others' never (their self-check stays silent).
  const last = windows.length - 1;
  const labels = windows[last].labels.map((label, row) => ({ model: modelOf(last), id: `r${row}`, label }));
  const answer = await fetch(`${exporter.url}/api/v1/labels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(labels),
  });
  assert.equal(answer.status, 200);
  prometheus = await startPrometheus({ jobs: [{ name: 'mlmon', targets: [`127.0.0.1:${exporter.port}`] }] });
});

after(async () => {
  await prometheus?.stop();
  await exporter?.stop();
});

const queried = (expr: string) => queryOne(prometheus, expr);

for (const [i, window] of windows.entries()) {
  test(`shift ${window.shift}: estimates queried from Prometheus equal the reference implementation's`, async () => {
    const labels = `{model="${modelOf(i)}",window="1h"}`;
    assert.equal(await queried(`mlmon_performance_estimated_samples${labels}`), window.scores.length);
    for (const metric of EXACT_METRICS) {
      const value = await queried(`mlmon_performance_estimated_${metric}${labels}`);
      assertClose(value, window.estimated[metric], metric, 1e-9);
      const lower = await queried(`mlmon_performance_estimated_${metric}_lower${labels}`);
      const upper = await queried(`mlmon_performance_estimated_${metric}_upper${labels}`);
      assert.ok(lower < value && value < upper, `${metric}: ${lower} < ${value} < ${upper}`);
    }
    // AUROC from interval sums: chords inside the map's linear intervals (below 2e-7 here).
    const auroc = await queried(`mlmon_performance_estimated_auroc${labels}`);
    assertClose(auroc, window.estimated.auroc, 'auroc', 1e-6);
  });
}

test('labels arriving for the window: the error is estimated minus realised, inside-band says if it fits', async () => {
  const last = windows.length - 1;
  const window = windows[last];
  const labels = `model="${modelOf(last)}",window="1h"`;
  assert.equal(await queried(`mlmon_performance_estimation_labelled{${labels}}`), window.labels.length);
  for (const metric of EXACT_METRICS) {
    const error = await queried(`mlmon_performance_estimation_error{${labels},metric="${metric}"}`);
    assertClose(error, window.estimated[metric] - window.realised[metric], `${metric} error`, 1e-9, 1e-12);
    const inside = await queried(`mlmon_performance_estimation_within_band{${labels},metric="${metric}"}`);
    const lower = await queried(`mlmon_performance_estimated_${metric}_lower{${labels}}`);
    const upper = await queried(`mlmon_performance_estimated_${metric}_upper{${labels}}`);
    const real = window.realised[metric];
    assert.equal(inside, real >= lower && real <= upper ? 1 : 0, `${metric}: ${real} in [${lower}, ${upper}]`);
  }
});

test('without labels the self-check is silent: labelled 0 and no error series', async () => {
  assert.equal(await queried('mlmon_performance_estimation_labelled{model="shift0",window="1h"}'), 0);
  const series = await prometheus.query('mlmon_performance_estimation_error{model="shift0"}');
  assert.equal(series.length, 0);
});
