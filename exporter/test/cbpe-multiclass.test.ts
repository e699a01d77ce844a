// Multiclass label-free performance estimation (CBPE one-vs-rest) against the fixture script's
// row-level reference implementation (scikit-learn's isotonic calibration per class, NannyML's
// normalisation and formulas): the exporter's estimates from bounded per-class sums equal it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertClose } from '../../testkit/index.ts';
import { calibrateRow, fitMulticlassCalibration } from '../src/performance/cbpe-multiclass-calibration.ts';
import { CbpeMulticlassWindows } from '../src/performance/cbpe-multiclass-windows.ts';
import {
  countMulticlass,
  estimateMulticlass,
  realisedMulticlass,
} from '../src/performance/cbpe-multiclass-estimate.ts';
import { CBPE_MULTICLASS_REFERENCE, cbpeMulticlassGolden as golden } from './helpers/cbpe-multiclass-golden.ts';
import { Z95 } from '../src/performance/cbpe-estimate.ts';
import { seededRandom } from './helpers/seeded-random.ts';

const EXACT = ['accuracy', 'precision', 'recall', 'f1'] as const;
const HOUR = 3_600_000;
const now = 100 * HOUR;
const { classes } = golden;

// The labelled reference as the exporter reads it: the CSV the script wrote.
const [, ...lines] = readFileSync(CBPE_MULTICLASS_REFERENCE, 'utf8').trim().split('\n');
const rows = lines.map((line) => line.split(','));
const calibration = fitMulticlassCalibration(
  classes,
  classes.map((_, c) => rows.map((row) => Number(row[2 + c]))),
  rows.map((row) => row[6]),
);

const scoresOf = (row: number[]) => Object.fromEntries(classes.map((name, c) => [name, row[c]]));

function windowOf(window: (typeof golden.windows)[number], labelled = false) {
  const windows = new CbpeMulticlassWindows(calibration, [{ label: '1h', ms: HOUR }], 60);
  window.scores.forEach((scores, i) => {
    const prediction = windows.prepare(window.predictions[i], scoresOf(scores))!;
    windows.observe(prediction, now - 1000, now, labelled ? classes.indexOf(window.labels[i]) : undefined);
  });
  return { layout: windows.layout, cells: windows.totals(now)[0].cells };
}

test("each class's isotonic map equals scikit-learn's", () => {
  classes.forEach((name, c) => {
    const expected = golden.calibration[name];
    assert.deepEqual(Array.from(calibration.maps[c].x), expected.x, `${name} points`);
    expected.y.forEach((y, i) => assertClose(calibration.maps[c].y[i], y, `${name} value ${i}`, 1e-12));
  });
});

for (const window of golden.windows) {
  test(`shift ${window.shift}: estimates from per-class sums equal the row-level reference`, () => {
    const { layout, cells } = windowOf(window);
    assert.equal(countMulticlass(cells, layout, 'all'), window.scores.length);
    const estimates = estimateMulticlass(cells, layout);
    for (const metric of EXACT) assertClose(estimates[metric]!.value, window.estimated[metric], metric, 1e-9);
    // AUROC: rows inside an interval of a class's map are joined by a chord (measured: at most 4.4e-4).
    assertClose(estimates.auroc!.value, window.estimated.auroc, 'auroc', 1e-3);
  });

  test(`shift ${window.shift}: realised metrics of the labelled sums equal scikit-learn's`, () => {
    const { layout, cells } = windowOf(window, true);
    assert.equal(countMulticlass(cells, layout, 'labelled'), window.scores.length);
    const real = realisedMulticlass(cells, layout);
    for (const metric of EXACT) assertClose(real[metric]!, window.realised[metric], metric, 1e-12);
    // Ranked by interval (ties within one) rather than by raw score.
    assertClose(real.auroc!, window.realised.auroc, 'auroc', 0.01);
    const self = estimateMulticlass(cells, layout, 'labelled');
    for (const metric of EXACT) assertClose(self[metric]!.value, window.estimated[metric], metric, 1e-9);
  });
}

test("a record's probabilities are normalised to sum to 1, uniform when every class calibrates to 0", () => {
  const row = calibrateRow(calibration, scoresOf(golden.windows[0].scores[0]))!;
  assertClose(
    row.probabilities.reduce((a, b) => a + b, 0),
    1,
    'sum',
    1e-12,
  );
  const zero = fitMulticlassCalibration(
    ['a', 'b'],
    [
      [0.1, 0.9],
      [0.2, 0.8],
    ],
    ['c', 'c'],
  );
  assert.deepEqual(Array.from(calibrateRow(zero, { a: 0.5, b: 0.5 })!.probabilities), [0.5, 0.5]);
  assert.equal(calibrateRow(calibration, { a: 0.2, b: 0.3 }), undefined, 'a class without a score');
});

test('the 95 % band covers the realised value about 95 % of the time when the calibration holds', () => {
  const window = golden.windows[2];
  const probabilities = window.scores.map((scores) => calibrateRow(calibration, scoresOf(scores))!.probabilities);
  const random = seededRandom(17);
  const draws = 200;
  const covered = { accuracy: 0, precision: 0, recall: 0, f1: 0 };
  for (let d = 0; d < draws; d++) {
    const windows = new CbpeMulticlassWindows(calibration, [{ label: '1h', ms: HOUR }], 60);
    window.scores.forEach((scores, i) => {
      let u = random();
      let truth = 0;
      while (truth < classes.length - 1 && u >= probabilities[i][truth]) u -= probabilities[i][truth++];
      windows.observe(windows.prepare(window.predictions[i], scoresOf(scores))!, now - 1000, now, truth);
    });
    const cells = windows.totals(now)[0].cells;
    const estimates = estimateMulticlass(cells, windows.layout);
    const real = realisedMulticlass(cells, windows.layout);
    for (const metric of Object.keys(covered) as (keyof typeof covered)[]) {
      const { value, standardError } = estimates[metric]!;
      if (Math.abs(real[metric]! - value) <= Z95 * standardError) covered[metric]++;
    }
  }
  for (const [metric, count] of Object.entries(covered)) {
    assert.ok(count / draws >= 0.9 && count / draws <= 0.99, `${metric}: covered ${count} of ${draws}`);
  }
});

test('a class never predicted leaves the macro precision undefined, as NannyML (NaN)', () => {
  const windows = new CbpeMulticlassWindows(calibration, [{ label: '1h', ms: HOUR }], 60);
  windows.observe(windows.prepare('a', { a: 0.8, b: 0.1, c: 0.1 })!, now - 1000, now);
  const estimates = estimateMulticlass(windows.totals(now)[0].cells, windows.layout);
  assert.equal(estimates.precision, undefined);
  assert.ok(estimates.accuracy!.value > 0.5);
  assert.equal(windows.prepare('z', { a: 0.8, b: 0.1, c: 0.1 }), undefined, 'a class the maps lack');
});
