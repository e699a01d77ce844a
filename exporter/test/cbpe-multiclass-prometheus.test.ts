// Integration, multiclass: three classes' scores pushed over HTTP without labels, scraped by a real
// Prometheus; the label-free macro estimates queried back equal the fixture script's row-level
// reference implementation (per-class isotonic maps, NannyML's normalisation and one-vs-rest
// formulas). Then the labels arrive by id and the self-check's error is estimated minus realised.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startExporter, postRecords, type RunningExporter } from './helpers/exporter.ts';
import { assertClose, startPrometheus, type RunningPrometheus } from '../../testkit/index.ts';
import { queryOne } from './helpers/prometheus-query.ts';
import { CBPE_MULTICLASS_REFERENCE, cbpeMulticlassGolden as golden } from './helpers/cbpe-multiclass-golden.ts';

const EXACT = ['accuracy', 'precision', 'recall', 'f1'] as const;
let exporter: RunningExporter;
let prometheus: RunningPrometheus;
const { classes, windows } = golden;
const modelOf = (i: number) => `multi${i}`;
const last = windows.length - 1;

before(async () => {
  const scores = classes.map((name) => `${name}: score_${name}`).join(', ');
  const models = windows.map(
    (_, i) => `
  - name: ${modelOf(i)}
    reference: { path: ${CBPE_MULTICLASS_REFERENCE} }
    features: [{ name: x1 }, { name: x2 }]
    prediction: { name: prediction }
    windows: [1h]
    performance:
      estimation: { reference: { path: ${CBPE_MULTICLASS_REFERENCE} }, scores: { ${scores} }, min_labelled: 500 }`,
  );
  exporter = await startExporter(`models:${models.join('')}\n`);
  for (const [i, window] of windows.entries()) {
    const records = window.scores.map((row, r) => ({
      model: modelOf(i),
      features: { x1: window.x[r][0], x2: window.x[r][1] },
      prediction: window.predictions[r],
      scores: Object.fromEntries(classes.map((name, c) => [name, row[c]])),
      id: `r${r}`,
    }));
    const answer = await postRecords(exporter.url, JSON.stringify(records));
    assert.equal(answer.body.accepted, records.length);
  }
  // The last window's labels arrive now; the others' never.
  const labels = windows[last].labels.map((label, r) => ({ model: modelOf(last), id: `r${r}`, label }));
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
  test(`shift ${window.shift}: macro estimates queried from Prometheus equal the reference implementation's`, async () => {
    const labels = `{model="${modelOf(i)}",window="1h"}`;
    assert.equal(await queried(`mlmon_performance_estimated_samples${labels}`), window.scores.length);
    for (const metric of EXACT) {
      const value = await queried(`mlmon_performance_estimated_${metric}${labels}`);
      assertClose(value, window.estimated[metric], metric, 1e-9);
      const lower = await queried(`mlmon_performance_estimated_${metric}_lower${labels}`);
      const upper = await queried(`mlmon_performance_estimated_${metric}_upper${labels}`);
      assert.ok(lower < value && value < upper, `${metric}: ${lower} < ${value} < ${upper}`);
    }
    // AUROC from per-interval sums of each class: chords inside intervals (measured ≤ 4.4e-4).
    assertClose(await queried(`mlmon_performance_estimated_auroc${labels}`), window.estimated.auroc, 'auroc', 1e-3);
  });
}

test('labels arriving for the window: the error is estimated minus realised, inside-band says if it fits', async () => {
  const window = windows[last];
  const labels = `model="${modelOf(last)}",window="1h"`;
  assert.equal(await queried(`mlmon_performance_estimation_labelled{${labels}}`), window.labels.length);
  for (const metric of EXACT) {
    const error = await queried(`mlmon_performance_estimation_error{${labels},metric="${metric}"}`);
    assertClose(error, window.estimated[metric] - window.realised[metric], `${metric} error`, 1e-9, 1e-12);
    const inside = await queried(`mlmon_performance_estimation_within_band{${labels},metric="${metric}"}`);
    const lower = await queried(`mlmon_performance_estimated_${metric}_lower{${labels}}`);
    const upper = await queried(`mlmon_performance_estimated_${metric}_upper{${labels}}`);
    const real = window.realised[metric];
    assert.equal(inside, real >= lower && real <= upper ? 1 : 0, `${metric}: ${real} in [${lower}, ${upper}]`);
  }
});
