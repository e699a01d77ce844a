// Integration: scores pushed over HTTP without labels, scraped by a real Prometheus, and the
// label-free estimates queried back equal the fixture script's row-level reference implementation
// (scikit-learn's isotonic calibration, NannyML's formulas); then the labels arrive by id and the
// self-check's error is the reference's estimated minus realised value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CBPE_REFERENCE, cbpeGolden, EXACT_METRICS } from './helpers/cbpe-golden.ts';
import { assertEstimates, assertSelfCheck, cbpeStack } from './helpers/cbpe-prometheus.ts';

const windows = cbpeGolden.windows;
const modelOf = (i: number) => `shift${i}`;
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
const records = windows.map((window, i) =>
  window.scores.map((score, row) => ({
    model: modelOf(i),
    features: { x: window.x[row] },
    prediction: score,
    id: `r${row}`,
  })),
);
// The last window's labels arrive now; the others' never (their self-check stays silent).
const last = windows.length - 1;
const labels = windows[last].labels.map((label, row) => ({ model: modelOf(last), id: `r${row}`, label }));
const stack = cbpeStack(`models:${models.join('')}\n`, records, labels);
const queried = (expr: string) => stack.queried(expr);

for (const [i, window] of windows.entries()) {
  test(`shift ${window.shift}: estimates queried from Prometheus equal the reference implementation's`, async () => {
    const selector = `model="${modelOf(i)}",window="1h"`;
    assert.equal(await queried(`mlmon_performance_estimated_samples{${selector}}`), window.scores.length);
    // AUROC from interval sums: chords inside the map's linear intervals (below 2e-7 here).
    await assertEstimates(queried, selector, window, EXACT_METRICS, 1e-6);
  });
}

test('labels arriving for the window: the error is estimated minus realised, inside-band says if it fits', async () => {
  const window = windows[last];
  const labels = `model="${modelOf(last)}",window="1h"`;
  assert.equal(await queried(`mlmon_performance_estimation_labelled{${labels}}`), window.labels.length);
  await assertSelfCheck(queried, labels, window, EXACT_METRICS);
});

test('without labels the self-check is silent: labelled 0 and no error series', async () => {
  assert.equal(await queried('mlmon_performance_estimation_labelled{model="shift0",window="1h"}'), 0);
  const series = await stack.prometheus.query('mlmon_performance_estimation_error{model="shift0"}');
  assert.equal(series.length, 0);
});
