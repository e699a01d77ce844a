// End to end on the fixture scenarios: reference -> edges -> counts -> every statistic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  binIndex,
  chi2Homogeneity,
  jensenShannonDistance,
  ksTwoSample,
  meanAndStd,
  missingRatio,
  outOfRangeRatio,
  psi,
  quantileEdges,
  wasserstein,
} from '../src/stats/index.ts';
import { assertClose } from '../../testkit/index.ts';
import { golden } from './fixtures/stats-golden.ts';

function counts(values: readonly number[], edges: readonly number[]): number[] {
  const out = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) out[binIndex(v, edges)]++;
  return out;
}

test('numeric scenarios from raw values match numpy/scipy', () => {
  for (const s of golden.numeric) {
    if (!s.ref || !s.cur) continue;
    const ref = Float64Array.from(s.ref).sort();
    const edges = quantileEdges(ref, s.k);
    const rc = counts(s.ref, edges);
    const cc = counts(s.cur, edges);
    assertClose(psi(rc, cc), s.psi, `${s.name} psi`);
    assertClose(jensenShannonDistance(rc, cc), s.js, `${s.name} js`);
    const chi2 = chi2Homogeneity(rc, cc);
    assert.equal(chi2 === undefined, s.chi2 === null, `${s.name} chi2 defined`);
    const ks = ksTwoSample(s.ref, s.cur);
    if (s.ks) {
      assert.equal(ks.statistic, s.ks.statistic, `${s.name} D`);
      assertClose(ks.pvalue, s.ks.pvalue, `${s.name} p`);
    } else {
      assert.ok(Number.isNaN(ks.pvalue), `${s.name}: empty current gives NaN`);
    }
    if (s.wasserstein !== null) assertClose(wasserstein(s.ref, s.cur), s.wasserstein, s.name);
    const lo = ref[0];
    const hi = ref[ref.length - 1];
    const out = s.cur.filter((v) => v < lo || v > hi).length;
    assert.equal(out, s.outOfRange, `${s.name} out of range`);
    if (s.curMean !== null && s.curStd !== null && Number.isFinite(s.curMean)) {
      const m = meanAndStd(s.cur);
      assertClose(m.mean, s.curMean, `${s.name} cur mean`);
      assertClose(m.std, s.curStd, `${s.name} cur std`);
    }
  }
});

test('a single distinct reference value collapses the edges to one', () => {
  const s = golden.numeric.find((x) => x.name === 'single-distinct-value');
  assert.ok(s?.ref);
  assert.deepEqual(quantileEdges(Float64Array.from(s.ref), 10), [7]);
});

test('empty current window and all-missing current', () => {
  const s = golden.numeric.find((x) => x.name === 'empty-current');
  assert.ok(s);
  assert.ok(Number.isNaN(psi(s.refCounts, s.curCounts)));
  assert.ok(Number.isNaN(jensenShannonDistance(s.refCounts, s.curCounts)));
  assert.equal(chi2Homogeneity(s.refCounts, s.curCounts), undefined);
  // All values missing: every record counts as missing and nothing is present.
  assert.equal(missingRatio(25, 25), 1);
  assert.ok(Number.isNaN(outOfRangeRatio(0, 0)));
});

test('infinities land in the edge bins and count as out of range', () => {
  const s = golden.numeric.find((x) => x.name === 'with-infinities');
  assert.ok(s?.cur);
  const cc = counts(s.cur, s.edges);
  assert.deepEqual(cc, s.curCounts);
  assert.ok(s.outOfRange >= 3);
});
