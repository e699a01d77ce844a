import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ksFromBins, wassersteinBinnedErrorBound, wassersteinFromBins } from '../src/stats/index.ts';
import { assertClose } from '../../testkit/index.ts';
import { golden } from './fixtures/stats-golden.ts';

test('ksFromBins equals the numpy reimplementation of the binned definition', () => {
  for (const s of golden.numeric) {
    if (!s.ksBinned) continue;
    const r = ksFromBins(s.refFine, s.curFine);
    assertClose(r.statistic, s.ksBinned.statistic, `${s.name} D`);
    assertClose(r.pvalue, s.ksBinned.pvalue, `${s.name} p`);
    assertClose(r.errorBound, s.ksBinned.errorBound, `${s.name} bound`);
  }
});

test('binned KS D brackets the raw-sample scipy D within its error bound', () => {
  const big = golden.numeric.find((s) => s.name === 'large-sample');
  assert.ok(big?.ks);
  for (const s of golden.numeric) {
    if (!s.ks || !s.ksBinned) continue;
    const r = ksFromBins(s.refFine, s.curFine);
    assert.ok(r.statistic <= s.ks.statistic + 1e-12, `${s.name}: ${r.statistic} <= ${s.ks.statistic}`);
    assert.ok(s.ks.statistic <= r.statistic + r.errorBound + 1e-12, `${s.name} upper bound`);
  }
});

test('wassersteinFromBins equals the numpy reimplementation (uniform mass per bin)', () => {
  for (const s of golden.numeric) {
    if (!s.wBinned) continue;
    const { lo, hi } = s.wBinned;
    assertClose(wassersteinFromBins(s.fineEdges, s.refFine, s.curFine, lo, hi), s.wBinned.expected, s.name);
    assertClose(
      wassersteinBinnedErrorBound(s.fineEdges, s.refFine, s.curFine, lo, hi),
      s.wBinned.errorBound,
      `${s.name} bound`,
    );
  }
});

test('binned Wasserstein is within its bound of scipy wasserstein_distance', () => {
  let checked = 0;
  for (const s of golden.numeric) {
    if (!s.wBinned || s.wasserstein === null) continue;
    const { lo, hi } = s.wBinned;
    const approx = wassersteinFromBins(s.fineEdges, s.refFine, s.curFine, lo, hi);
    const bound = wassersteinBinnedErrorBound(s.fineEdges, s.refFine, s.curFine, lo, hi);
    assert.ok(Math.abs(approx - s.wasserstein) <= bound + 1e-12, `${s.name}`);
    checked++;
  }
  assert.ok(checked >= 3);
  // The uniform spread over the wide outer bins dominates the error on a normal sample (about
  // 12 % on the large sample here); the guarantee is the bound, not a relative accuracy.
  const big = golden.numeric.find((s) => s.name === 'large-sample');
  assert.ok(big?.wBinned && big.wasserstein !== null);
});

test('binned statistics on empty sides and bad input', () => {
  const r = ksFromBins([1, 2], [0, 0]);
  assert.ok(Number.isNaN(r.statistic) && Number.isNaN(r.pvalue));
  assert.ok(Number.isNaN(wassersteinFromBins([1], [1, 2], [0, 0], 0, 2)));
  assert.equal(ksFromBins([5], [3]).statistic, 0); // one bin: no edge to compare at
  assert.equal(wassersteinFromBins([], [5], [3], 0, 1), 0);
  assert.throws(() => wassersteinFromBins([1], [1, 2], [1, 2], 2, 3), RangeError);
  assert.throws(() => wassersteinFromBins([1], [1, 2, 3], [1, 2], 0, 3), RangeError);
});
