// Label-free performance estimation (CBPE) against the fixture script's row-level reference
// implementation (scikit-learn's isotonic calibration, NannyML's formulas): the exporter's map,
// and its estimates from bounded per-interval sums, equal the row-level values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../testkit/index.ts';
import { calibrate, fitCalibration } from '../src/performance/cbpe-calibration.ts';
import { CbpeWindows } from '../src/performance/cbpe-windows.ts';
import { countOf, estimate, realised, Z95 } from '../src/performance/cbpe-estimate.ts';
import { cbpeGolden, EXACT_METRICS } from './helpers/cbpe-golden.ts';

const calibration = fitCalibration(cbpeGolden.reference.scores, cbpeGolden.reference.labels);
const HOUR = 3_600_000;
const now = 100 * HOUR;

function windowOf(scores: number[], labels?: number[]) {
  const windows = new CbpeWindows(calibration, [{ label: '1h', ms: HOUR }], 60);
  scores.forEach((score, i) =>
    windows.observe(
      { score, predictedPositive: score >= cbpeGolden.threshold },
      now - 1000,
      now,
      labels && labels[i] === 1,
    ),
  );
  return windows.totals(now)[0].cells;
}

test("the isotonic map's points equal scikit-learn's", () => {
  assert.equal(calibration.x.length, cbpeGolden.calibration.x.length);
  cbpeGolden.calibration.x.forEach((x, i) => assert.equal(calibration.x[i], x, `point ${i}`));
  cbpeGolden.calibration.y.forEach((y, i) => assertClose(calibration.y[i], y, `value ${i}`, 1e-12));
});

for (const window of cbpeGolden.windows) {
  test(`shift ${window.shift}: estimates from interval sums equal the row-level reference`, () => {
    const estimates = estimate(windowOf(window.scores), calibration);
    for (const metric of EXACT_METRICS) {
      assertClose(estimates[metric]!.value, window.estimated[metric], `${metric}`, 1e-9);
    }
    // AUROC: chords inside the map's linear intervals only (measured: below 2e-7).
    assertClose(estimates.auroc!.value, window.estimated.auroc, 'auroc', 1e-6);
  });

  test(`shift ${window.shift}: realised metrics of the labelled sums equal scikit-learn's`, () => {
    const cells = windowOf(window.scores, window.labels);
    assert.equal(countOf(cells, calibration.x.length + 1, 'labelled'), window.scores.length);
    const real = realised(cells, calibration.x.length + 1);
    for (const metric of EXACT_METRICS) {
      assertClose(real[metric]!, window.realised[metric], metric, 1e-12);
    }
    const self = estimate(cells, calibration, 'labelled');
    assertClose(self.accuracy!.value, window.estimated.accuracy, 'labelled estimate', 1e-9);
    // Every label arrived: the self-check's estimate is the window's.
    for (const metric of EXACT_METRICS) assertClose(self[metric]!.value, window.estimated[metric], metric, 1e-9);
  });
}

test('the 95 % band covers the realised value about 95 % of the time when the calibration holds', () => {
  // Labels drawn from the calibrated probabilities themselves: the band's only job is then the
  // labels' sampling error (plus the reference's, which makes it a little wider).
  const window = cbpeGolden.windows[2];
  let seed = 17;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const probabilities = window.scores.map((score) => calibrate(calibration, score));
  const draws = 300;
  const covered = { accuracy: 0, f1: 0, recall: 0, precision: 0, auroc: 0 };
  for (let d = 0; d < draws; d++) {
    const labels = probabilities.map((p) => (random() < p ? 1 : 0));
    const cells = windowOf(window.scores, labels);
    const estimates = estimate(cells, calibration);
    const real = realised(cells, calibration.x.length + 1);
    for (const metric of Object.keys(covered) as (keyof typeof covered)[]) {
      const { value, standardError } = estimates[metric]!;
      if (Math.abs(real[metric]! - value) <= Z95 * standardError) covered[metric]++;
    }
  }
  for (const [metric, count] of Object.entries(covered)) {
    assert.ok(count / draws >= 0.9 && count / draws <= 1, `${metric}: covered ${count} of ${draws}`);
  }
  // Not a band so wide that it always covers: accuracy's misses are there.
  assert.ok(covered.accuracy < draws, 'accuracy band never missed');
});

test('a window without predictions has no estimate; one without predicted positives has no precision', () => {
  assert.deepEqual(estimate(windowOf([]), calibration), {});
  const low = estimate(windowOf([0.01, 0.2, 0.3]), calibration);
  assert.equal(low.precision, undefined);
  assert.ok(low.accuracy && low.accuracy.value > 0.5);
});

test('scores beyond the reference take the end values of the map (clipped, as scikit-learn)', () => {
  const { x, y } = cbpeGolden.calibration;
  assert.equal(calibrate(calibration, -1), y[0]);
  assert.equal(calibrate(calibration, x[0]), y[0]);
  assert.equal(calibrate(calibration, 2), y[y.length - 1]);
  const mid = (x[10] + x[11]) / 2;
  assertClose(
    calibrate(calibration, mid),
    y[10] + ((y[11] - y[10]) * (mid - x[10])) / (x[11] - x[10]),
    'interp',
    1e-12,
  );
});

test("a late label counts in its prediction's slice while the window holds it, and not after", () => {
  const windows = new CbpeWindows(calibration, [{ label: '1h', ms: HOUR }], 60);
  const prediction = { score: 0.9, predictedPositive: true };
  windows.observe(prediction, now - 30 * 60_000, now);
  windows.observeLabel(prediction, now - 30 * 60_000, now + 10 * 60_000, true);
  let cells = windows.totals(now + 10 * 60_000)[0].cells;
  assert.equal(countOf(cells, calibration.x.length + 1, 'labelled'), 1);
  // An hour later the prediction's slice has left the window: its label is not counted anywhere.
  windows.observeLabel(prediction, now - 30 * 60_000, now + 2 * HOUR, true);
  cells = windows.totals(now + 2 * HOUR)[0].cells;
  assert.equal(countOf(cells, calibration.x.length + 1, 'all'), 0);
  assert.equal(countOf(cells, calibration.x.length + 1, 'labelled'), 0);
});
