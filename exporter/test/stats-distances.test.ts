import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  jensenShannonDistance,
  meanAndStd,
  meanShift,
  normalizedWasserstein,
  psi,
  stdRatio,
  wasserstein,
} from '../src/stats/index.ts';
import { assertClose } from '../../testkit/index.ts';
import { golden } from './fixtures/stats-golden.ts';

test('psi equals the numpy definition, empty bins replaced by 1e-4', () => {
  for (const c of golden.psiJs) assertClose(psi(c.ref, c.cur), c.psi, `psi ${c.ref} | ${c.cur}`);
  for (const s of [...golden.numeric, ...golden.categorical]) {
    assertClose(psi(s.refCounts, s.curCounts), s.psi, `psi ${s.name}`);
  }
});

test('jensenShannonDistance equals scipy jensenshannon(base=2)', () => {
  for (const c of golden.psiJs) {
    assertClose(jensenShannonDistance(c.ref, c.cur), c.js, `js ${c.ref} | ${c.cur}`);
  }
  for (const s of [...golden.numeric, ...golden.categorical]) {
    assertClose(jensenShannonDistance(s.refCounts, s.curCounts), s.js, `js ${s.name}`);
  }
});

test('psi and js reject mismatched bins', () => {
  assert.throws(() => psi([1], [1, 2]), RangeError);
  assert.throws(() => jensenShannonDistance([1], [1, 2]), RangeError);
});

test('wasserstein equals scipy.stats.wasserstein_distance', () => {
  for (const c of golden.wasserstein) assertClose(wasserstein(c.a, c.b), c.expected, 'w');
  for (const s of golden.numeric) {
    if (s.ref && s.cur && s.wasserstein !== null) {
      assertClose(wasserstein(s.ref, s.cur), s.wasserstein, `w ${s.name}`);
    }
  }
  assert.ok(Number.isNaN(wasserstein([], [1])));
});

test('meanAndStd equals numpy mean and std (ddof=0)', () => {
  for (const c of golden.moments) {
    const m = meanAndStd(c.values);
    assertClose(m.mean, c.mean, 'mean');
    // numpy sums pairwise, we sum compensated: both within a few ulps of the exact std.
    assertClose(m.std, c.std, 'std');
  }
  for (const s of golden.numeric) {
    if (!s.ref) continue;
    const m = meanAndStd(s.ref);
    assertClose(m.mean, s.refMean, `${s.name} mean`);
    assertClose(m.std, s.refStd, `${s.name} std`);
  }
  const empty = meanAndStd([]);
  assert.ok(Number.isNaN(empty.mean) && Number.isNaN(empty.std));
});

test('normalised Wasserstein and mean/std shift floor the reference std at 0.001', () => {
  assert.equal(normalizedWasserstein(0.5, 2), 0.25);
  assert.equal(normalizedWasserstein(0.5, 0), 500);
  assert.equal(meanShift(3, 1, 4), 0.5);
  assert.equal(meanShift(1.002, 1, 0), 2.0000000000000018);
  assert.equal(stdRatio(2, 4), 0.5);
  assert.equal(stdRatio(0.001, 0), 1);
});
