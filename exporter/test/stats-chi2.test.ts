import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chi2Homogeneity, chi2Sf } from '../src/stats/index.ts';
import { assertClose } from '../../testkit/index.ts';
import { golden, type Chi2Golden } from './fixtures/stats-golden.ts';
import type { Chi2Result } from '../src/stats/index.ts';

function assertChi2(actual: Chi2Result | undefined, expected: Chi2Golden | null, name: string): void {
  if (expected === null) {
    assert.equal(actual, undefined, name);
    return;
  }
  assert.ok(actual, name);
  assert.equal(actual.dof, expected.dof, `${name} dof`);
  assertClose(actual.statistic, expected.statistic, `${name} statistic`);
  assertClose(actual.pvalue, expected.pvalue, `${name} pvalue`);
}

test('chi2Sf equals scipy.stats.chi2.sf across every igamc branch', () => {
  for (const c of golden.chi2Sf) {
    assertClose(chi2Sf(c.x, c.df), c.sf, `chi2.sf(${c.x}, ${c.df})`, 1e-12, 1e-300);
  }
});

test('chi2Sf edge values', () => {
  assert.equal(chi2Sf(0, 3), 1);
  assert.equal(chi2Sf(-1, 3), 1);
  assert.equal(chi2Sf(Infinity, 3), 0);
  assert.ok(Number.isNaN(chi2Sf(NaN, 3)));
  assert.ok(Number.isNaN(chi2Sf(1, 0)));
});

test('chi2Homogeneity equals scipy.stats.chi2_contingency on categorical tables', () => {
  for (const s of golden.categorical) {
    assertChi2(chi2Homogeneity(s.refCounts, s.curCounts), s.chi2, s.name);
  }
  assert.ok(
    golden.categorical.some((s) => s.chi2?.dof === 1),
    'covers Yates',
  );
});

test('chi2Homogeneity equals scipy.stats.chi2_contingency on numeric bin counts', () => {
  for (const s of golden.numeric) {
    assertChi2(chi2Homogeneity(s.refCounts, s.curCounts), s.chi2, s.name);
  }
});

test('chi2Homogeneity rejects mismatched bins', () => {
  assert.throws(() => chi2Homogeneity([1, 2], [1, 2, 3]), RangeError);
});
