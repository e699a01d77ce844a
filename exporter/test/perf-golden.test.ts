// Performance metrics from counts vs scikit-learn on the raw data (fixtures/make_perf_fixtures.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { accuracyFromConfusion } from '../src/stats/perf-accuracy.ts';
import { aurocFromHistograms } from '../src/stats/perf-auroc.ts';
import { aurocOneVsRest } from '../src/stats/perf-auroc-ovr.ts';
import { confusionOffset } from '../src/stats/perf-confusion.ts';
import { precisionRecallF1 } from '../src/stats/perf-precision-recall-f1.ts';
import { absPercentError, regressionMetrics } from '../src/stats/perf-regression.ts';
import { BINARY_SCORE_BINS, MULTICLASS_SCORE_BINS, scoreBin } from '../src/stats/perf-score-bin.ts';
import { assertClose } from '../../testkit/index.ts';

type Prf = { precision: number; recall: number; f1: number };
interface ClassificationCase {
  name: string;
  classes: string[];
  yTrue: number[];
  yPred: number[];
  bins: number;
  k: number;
  confusion: number[];
  accuracy: number | null;
  macro: Prf;
  binary?: Prf & { positive: number };
  auroc: number | null;
}
interface BinaryCase extends ClassificationCase {
  scores: number[];
  positives: number[];
  negatives: number[];
}
interface MulticlassCase extends ClassificationCase {
  scores: number[][];
  perClass: { positives: number[]; negatives: number[] }[];
}
interface RegressionCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  sums: { n: number; absError: number; squaredError: number; absPercentError: number };
  rmse: number | null;
  mae: number | null;
  mape: number | null;
}
const golden = JSON.parse(readFileSync(new URL('./fixtures/perf-golden.json', import.meta.url), 'utf8')) as {
  binary: BinaryCase[];
  multiclass: MulticlassCase[];
  regression: RegressionCase[];
};

function confusionOf(c: ClassificationCase): Float64Array {
  const m = new Float64Array(c.k * c.k);
  for (let i = 0; i < c.yTrue.length; i++) m[confusionOffset(c.k, c.yTrue[i], c.yPred[i])]++;
  return m;
}

function checkClassification(c: ClassificationCase): void {
  const m = confusionOf(c);
  assert.deepEqual(Array.from(m), c.confusion, `${c.name} confusion`);
  assertClose(accuracyFromConfusion(m, c.k), c.accuracy, `${c.name} accuracy`);
  const macro = precisionRecallF1(m, c.k, { kind: 'macro' });
  for (const key of ['precision', 'recall', 'f1'] as const)
    assertClose(macro[key], c.macro[key], `${c.name} macro ${key}`);
  if (c.binary) {
    const bin = precisionRecallF1(m, c.k, { kind: 'binary', positive: c.binary.positive });
    for (const key of ['precision', 'recall', 'f1'] as const) assertClose(bin[key], c.binary[key], `${c.name} ${key}`);
  }
}

function histogram(scores: number[], keep: (i: number) => boolean, bins: number): number[] {
  const h = new Array<number>(bins).fill(0);
  scores.forEach((s, i) => {
    if (keep(i)) h[scoreBin(s, bins)]++;
  });
  return h;
}

test('golden file covers the required cases', () => {
  const names = [...golden.binary, ...golden.multiclass, ...golden.regression].map((c) => c.name);
  for (const n of ['balanced-3dp', 'rare-positive', 'never-predicted', 'one-class', 'four-classes-2dp']) {
    assert.ok(names.includes(n), n);
  }
  assert.ok(
    golden.regression.some((c) => c.yTrue.includes(0)),
    'regression with y = 0',
  );
});

test('binary: confusion, accuracy, precision/recall/F1 (binary and macro) equal sklearn', () => {
  for (const c of golden.binary) checkClassification(c);
});

test('binary: 1001-bin histograms of 3-decimal scores give sklearn roc_auc_score on the raw scores', () => {
  for (const c of golden.binary) {
    assert.equal(c.bins, BINARY_SCORE_BINS);
    const pos = histogram(c.scores, (i) => c.yTrue[i] === 1, c.bins);
    const neg = histogram(c.scores, (i) => c.yTrue[i] === 0, c.bins);
    assert.deepEqual(pos, c.positives, `${c.name} positives`);
    assert.deepEqual(neg, c.negatives, `${c.name} negatives`);
    assertClose(aurocFromHistograms(pos, neg), c.auroc, `${c.name} auroc`);
  }
});

test('multiclass: confusion, accuracy and macro precision/recall/F1 equal sklearn', () => {
  for (const c of golden.multiclass) checkClassification(c);
});

test('multiclass: 101-bin one-vs-rest histograms give sklearn macro OvR roc_auc_score', () => {
  for (const c of golden.multiclass) {
    assert.equal(c.bins, MULTICLASS_SCORE_BINS);
    const perClass = c.classes.map((_, k) => {
      const column = c.scores.map((row) => row[k]);
      return {
        positives: histogram(column, (i) => c.yTrue[i] === k, c.bins),
        negatives: histogram(column, (i) => c.yTrue[i] !== k, c.bins),
      };
    });
    assert.deepEqual(perClass, c.perClass, `${c.name} histograms`);
    assertClose(aurocOneVsRest(perClass), c.auroc, `${c.name} auroc`);
  }
});

test('regression: RMSE, MAE, MAPE from sums equal sklearn (sums from the fixture and summed here)', () => {
  for (const c of golden.regression) {
    const sums = { n: c.yTrue.length, absError: 0, squaredError: 0, absPercentError: 0 };
    c.yTrue.forEach((y, i) => {
      const e = y - c.yPred[i];
      sums.absError += Math.abs(e);
      sums.squaredError += e * e;
      sums.absPercentError += absPercentError(y, c.yPred[i]);
    });
    assert.equal(sums.n, c.sums.n);
    for (const key of ['absError', 'squaredError', 'absPercentError'] as const) {
      assertClose(sums[key], c.sums[key], `${c.name} sum ${key}`);
    }
    for (const s of [c.sums, sums]) {
      const r = regressionMetrics(s);
      assertClose(r.rmse, c.rmse, `${c.name} rmse`);
      assertClose(r.mae, c.mae, `${c.name} mae`);
      assertClose(r.mape, c.mape, `${c.name} mape`);
    }
  }
});
