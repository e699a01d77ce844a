// Integration, multiclass: three classes' scores pushed over HTTP without labels, scraped by a real
// Prometheus; the label-free macro estimates queried back equal the fixture script's row-level
// reference implementation (per-class isotonic maps, NannyML's normalisation and one-vs-rest
// formulas). Then the labels arrive by id and the self-check's error is estimated minus realised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertEstimates, assertSelfCheck, cbpeStack } from './helpers/cbpe-prometheus.ts';
import { CBPE_MULTICLASS_REFERENCE, cbpeMulticlassGolden as golden } from './helpers/cbpe-multiclass-golden.ts';

const EXACT = ['accuracy', 'precision', 'recall', 'f1'] as const;
const { classes, windows } = golden;
const modelOf = (i: number) => `multi${i}`;
const last = windows.length - 1;
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
const records = windows.map((window, i) =>
  window.scores.map((row, r) => ({
    model: modelOf(i),
    features: { x1: window.x[r][0], x2: window.x[r][1] },
    prediction: window.predictions[r],
    scores: Object.fromEntries(classes.map((name, c) => [name, row[c]])),
    id: `r${r}`,
  })),
);
// The last window's labels arrive now; the others' never.
const labels = windows[last].labels.map((label, r) => ({ model: modelOf(last), id: `r${r}`, label }));
const stack = cbpeStack(`models:${models.join('')}\n`, records, labels);
const queried = (expr: string) => stack.queried(expr);

for (const [i, window] of windows.entries()) {
  test(`shift ${window.shift}: macro estimates queried from Prometheus equal the reference implementation's`, async () => {
    const selector = `model="${modelOf(i)}",window="1h"`;
    assert.equal(await queried(`mlmon_performance_estimated_samples{${selector}}`), window.scores.length);
    // AUROC from per-interval sums of each class: chords inside intervals (measured ≤ 4.4e-4).
    await assertEstimates(queried, selector, window, EXACT, 1e-3);
  });
}

test('labels arriving for the window: the error is estimated minus realised, inside-band says if it fits', async () => {
  const window = windows[last];
  const labels = `model="${modelOf(last)}",window="1h"`;
  assert.equal(await queried(`mlmon_performance_estimation_labelled{${labels}}`), window.labels.length);
  await assertSelfCheck(queried, labels, window, EXACT);
});
