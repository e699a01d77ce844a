// Hand-checked edge cases of the performance metrics (the sklearn comparisons are in perf-golden.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyFromConfusion } from '../src/stats/perf-accuracy.ts';
import { aurocFromHistograms } from '../src/stats/perf-auroc.ts';
import { aurocOneVsRest } from '../src/stats/perf-auroc-ovr.ts';
import { classIndex, confusionOffset } from '../src/stats/perf-confusion.ts';
import { precisionRecallF1 } from '../src/stats/perf-precision-recall-f1.ts';
import { absPercentError, MAPE_EPSILON, regressionMetrics } from '../src/stats/perf-regression.ts';
import { scoreBin } from '../src/stats/perf-score-bin.ts';

test('scoreBin: ends, rounding, clamping and NaN', () => {
  assert.equal(scoreBin(0, 1001), 0);
  assert.equal(scoreBin(1, 1001), 1000);
  assert.equal(scoreBin(1, 101), 100);
  assert.equal(scoreBin(0.123, 1001), 123);
  assert.equal(scoreBin(0.57, 101), 57); // 0.57 * 100 = 56.99999999999999
  // Halves go up (Math.round), not to even as numpy.rint would.
  assert.equal(scoreBin(0.0005, 1001), 1);
  assert.equal(scoreBin(0.0025, 1001), 3);
  assert.equal(scoreBin(0.00049, 1001), 0);
  assert.equal(scoreBin(0.9995, 1001), 1000);
  assert.ok(Object.is(scoreBin(-1e-9, 1001), 0), 'a tiny negative score is bin +0, not -0');
  assert.equal(scoreBin(-0.2, 1001), 0);
  assert.equal(scoreBin(1.5, 1001), 1000);
  assert.equal(scoreBin(Infinity, 1001), 1000);
  assert.equal(scoreBin(-Infinity, 101), 0);
  assert.equal(scoreBin(NaN, 1001), -1);
  assert.equal(scoreBin(0.5, 2), 1);
  assert.throws(() => scoreBin(0.5, 1), RangeError);
  assert.throws(() => scoreBin(0.5, 10.5), RangeError);
});

test('scoreBin: every 3-decimal score has its own bin at 1001 bins, every 2-decimal one at 101', () => {
  for (const [decimals, bins] of [
    [3, 1001],
    [2, 101],
  ]) {
    for (let i = 0; i < bins; i++) {
      const score = Number((i / (bins - 1)).toFixed(decimals));
      assert.equal(scoreBin(score, bins), i, `${score}`);
      assert.equal(scoreBin(Number(`${i}e-${decimals}`), bins), i, `${i}e-${decimals}`);
    }
  }
});

test('classIndex and confusionOffset', () => {
  const classes = ['cat', 'dog', 'fox'];
  assert.equal(classIndex(classes, 'dog'), 1);
  assert.equal(classIndex(classes, 'emu'), -1);
  assert.equal(classIndex([0, 1], 1), 1);
  assert.equal(confusionOffset(3, 2, 1), 7);
});

test('accuracy: empty matrix is NaN; size is checked', () => {
  assert.ok(Number.isNaN(accuracyFromConfusion(new Float64Array(4), 2)));
  assert.equal(accuracyFromConfusion([3, 1, 2, 4], 2), 0.7);
  assert.throws(() => accuracyFromConfusion([1, 2, 3], 2), RangeError);
});

test('precision/recall/F1: zero_division gives 0, unseen classes leave the macro mean, empty is NaN', () => {
  // Class 1 never predicted; class 2 configured but never seen.
  const m = [5, 0, 0, 3, 0, 0, 0, 0, 0];
  assert.deepEqual(precisionRecallF1(m, 3, { kind: 'binary', positive: 1 }), { precision: 0, recall: 0, f1: 0 });
  const macro = precisionRecallF1(m, 3, { kind: 'macro' });
  assert.equal(macro.precision, (5 / 8 + 0) / 2);
  assert.equal(macro.recall, (1 + 0) / 2);
  assert.equal(macro.f1, (10 / 13 + 0) / 2);
  const empty = precisionRecallF1(new Float64Array(4), 2, { kind: 'binary', positive: 1 });
  assert.ok(Number.isNaN(empty.precision) && Number.isNaN(empty.recall) && Number.isNaN(empty.f1));
  assert.ok(Number.isNaN(precisionRecallF1(new Float64Array(4), 2, { kind: 'macro' }).f1));
  assert.throws(() => precisionRecallF1(m, 3, { kind: 'binary', positive: 3 }), RangeError);
});

test('AUROC from histograms: separation, ties, empty class, brute-force pair count', () => {
  assert.equal(aurocFromHistograms([0, 0, 2], [3, 0, 0]), 1);
  assert.equal(aurocFromHistograms([2, 0, 0], [0, 0, 3]), 0);
  assert.equal(aurocFromHistograms([0, 4, 0], [0, 7, 0]), 0.5);
  assert.ok(Number.isNaN(aurocFromHistograms([0, 0], [1, 2])));
  assert.ok(Number.isNaN(aurocFromHistograms([1, 2], [0, 0])));
  assert.throws(() => aurocFromHistograms([1], [1, 2]), RangeError);
  const pos = [1, 0, 3, 2, 5];
  const neg = [4, 2, 1, 3, 0];
  let wins = 0;
  for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) wins += pos[a] * neg[b] * (a > b ? 1 : a === b ? 0.5 : 0);
  assert.equal(aurocFromHistograms(pos, neg), wins / (11 * 10));
});

test('OvR AUROC: classes absent from the labels are skipped; fewer than 2 present is NaN', () => {
  const a = { positives: [0, 1, 2], negatives: [2, 1, 0] };
  const b = { positives: [1, 1, 0], negatives: [0, 2, 1] };
  const absent = { positives: [0, 0, 0], negatives: [1, 2, 3] };
  const expected = (aurocFromHistograms(a.positives, a.negatives) + aurocFromHistograms(b.positives, b.negatives)) / 2;
  assert.equal(aurocOneVsRest([a, absent, b]), expected);
  assert.ok(Number.isNaN(aurocOneVsRest([a, absent])));
  assert.ok(Number.isNaN(aurocOneVsRest([])));
});

test('regression: n = 0 is NaN; MAPE floors |y| at machine epsilon', () => {
  const r = regressionMetrics({ n: 0, absError: 0, squaredError: 0, absPercentError: 0 });
  assert.ok(Number.isNaN(r.rmse) && Number.isNaN(r.mae) && Number.isNaN(r.mape));
  assert.equal(MAPE_EPSILON, Number.EPSILON);
  assert.equal(absPercentError(0, 1), 1 / Number.EPSILON);
  assert.equal(absPercentError(-4, -3), 0.25);
  assert.deepEqual(regressionMetrics({ n: 4, absError: 6, squaredError: 16, absPercentError: 2 }), {
    rmse: 2,
    mae: 1.5,
    mape: 0.5,
  });
});
