// The cause of a drift: each bin's contribution to PSI and to the JS divergence against numpy and
// scipy (fixtures/make_contributions_fixture.py), the top bins, and the model's drift score.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  jensenShannonContributions,
  jensenShannonDistance,
  psi,
  psiContributions,
  topBins,
} from '../src/stats/index.ts';
import { driftScores, normalizedDrift } from '../src/report/drift-score.ts';
import { assertClose } from '../../testkit/index.ts';
import { contributionsGolden } from './helpers/contributions-golden.ts';

const golden = contributionsGolden;
const allCases = [...golden.cases, ...Object.values(golden.driftFixture)];
const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

test("PSI's per-bin terms are numpy's, and they sum to the PSI", () => {
  for (const c of allCases) {
    const terms = psiContributions(c.ref, c.cur);
    c.psiBins.forEach((expected, i) => assertClose(terms[i], expected, `${c.name} bin ${i}`));
    assertClose(sum(terms), c.psi, `${c.name} sum`);
    assertClose(sum(terms), psi(c.ref, c.cur), `${c.name} sum = psi()`);
    assert.deepEqual(topBins(terms, golden.generator.topK), c.psiTop, c.name);
  }
});

test("JS divergence's per-bin terms are scipy's rel_entr, and they sum to jensenshannon(base=2) squared", () => {
  for (const c of allCases) {
    const terms = jensenShannonContributions(c.ref, c.cur);
    c.jsBins.forEach((expected, i) => assertClose(terms[i], expected, `${c.name} bin ${i}`, 1e-9, 1e-15));
    assertClose(sum(terms), c.js ** 2, `${c.name} sum`, 1e-9, 1e-15);
    assertClose(Math.sqrt(sum(terms)), jensenShannonDistance(c.ref, c.cur), `${c.name} = distance()`, 1e-9, 1e-12);
    assert.deepEqual(topBins(terms, golden.generator.topK), c.jsTop, c.name);
  }
});

test('no contributions when a side has no values; topBins keeps at most k, equal terms in bin order', () => {
  assert.equal(psiContributions([1, 2], [0, 0]).length, 0);
  assert.equal(jensenShannonContributions([0, 0], [1, 2]).length, 0);
  assert.throws(() => psiContributions([1, 2], [1, 2, 3]), RangeError);
  assert.deepEqual(topBins([0.1, 0.3, 0.3, 0.2], 2), [1, 2]);
  assert.deepEqual(topBins([0.1, 0.3], 5), [1, 0]);
  assert.deepEqual(topBins([0.1, 0.3], 0), []);
});

test('normalised drift is 1 at the threshold, for p-values on the log scale', () => {
  assert.equal(normalizedDrift('psi', 0.2, 0.2), 1);
  assert.equal(normalizedDrift('jensen_shannon', 0.25, 0.1), 2.5);
  assertClose(normalizedDrift('ks_pvalue', 0.05 ** 2, 0.05), 2, 'p = threshold²');
  assert.equal(normalizedDrift('ks_pvalue', 1, 0.05), -0);
  // An underflowed p-value stays finite, far past any threshold.
  assert.ok(Number.isFinite(normalizedDrift('ks_pvalue', 0, 0.05)) && normalizedDrift('ks_pvalue', 0, 0.05) > 200);
});

test('the model score is the importance-weighted mean of the normalised drift, split over the features', () => {
  const scores = driftScores('psi', [
    { feature: 'a', value: 0.4, threshold: 0.2, importance: 3 },
    { feature: 'b', value: 0.1, threshold: 0.2, importance: 1 },
    { feature: 'c', value: 5, threshold: 0.2, importance: 0 },
  ])!;
  // a: 3/4 of the weight at 2× its threshold; b: 1/4 at half; c weighs nothing however far it moved.
  assertClose(scores.features.find((f) => f.feature === 'a')!.score, 1.5, 'a');
  assertClose(scores.features.find((f) => f.feature === 'b')!.score, 0.125, 'b');
  assert.equal(scores.features.find((f) => f.feature === 'c')!.score, 0);
  assertClose(scores.model, 1.625, 'model');
  assertClose(sum(scores.features.map((f) => f.score)), scores.model, 'features sum to the model score');
  const equal = driftScores('psi', [
    { feature: 'a', value: 0.4, threshold: 0.2, importance: 1 },
    { feature: 'b', value: 0.1, threshold: 0.2, importance: 1 },
  ])!;
  assertClose(equal.model, (2 + 0.5) / 2, 'unweighted: the plain mean');
  assert.equal(driftScores('psi', []), undefined);
  assert.equal(driftScores('psi', [{ feature: 'a', value: 1, threshold: 0.2, importance: 0 }]), undefined);
});
