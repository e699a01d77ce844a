// Published values (scipy's own test suites and the
// literature): a check independent of make_fixtures.py. Tolerances follow the places quoted there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chi2Homogeneity,
  jensenShannonDistance,
  ksTwoSample,
  kstwoSf,
  meanAndStd,
  normalizedWasserstein,
  psi,
  wasserstein,
} from '../src/stats/index.ts';
import { assertClose } from '../../testkit/index.ts';

/** numpy.linspace(start, stop, num): start + i * step, last element exactly stop. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const A = [38.7, 41.5, 43.8, 44.5, 45.5, 46.0, 47.7, 58.0];
const B = [39.2, 39.3, 39.7, 41.4, 41.8, 42.9, 43.3, 45.8];
const ties = [...Array(3).fill(2), ...Array(4).fill(3), ...Array(5).fill(5), ...Array(4).fill(6)];

function assertAbs(actual: number, expected: number, tol: number, message: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${message}: ${actual} vs ${expected}`);
}

test('ks_2samp reference vectors', () => {
  const cases: [number[], number[], number, number, number][] = [
    [[0], [1], 1, 1.0, 1e-15],
    [[1.01, 2.01], [1, 2, 3], 1 / 3, 1.0, 1e-15],
    [[0.99, 1.99], [1, 2, 3], 2 / 3, 0.6, 1e-15],
    [linspace(1, 100, 100), linspace(1, 100, 100).map((x) => x + 2.1), 0.03, 0.999999999996205, 1e-15],
    [linspace(1, 100, 100), linspace(1, 100, 110).map((x) => x + 20.1), 232 / 1100, 0.0157391838656, 1e-12],
    [ties, ties.map((x) => x + 1), 5 / 16, 0.426293461345495, 1e-15],
    [A, B, 0.625, 0.08702408702408701, 1e-15],
  ];
  for (const [a, b, d, p, tol] of cases) {
    const r = ksTwoSample(a, b);
    assertAbs(r.statistic, d, 1e-15, `D ${a.length}x${b.length}`);
    assertAbs(r.pvalue, p, tol, `p ${a.length}x${b.length}`);
  }
  const r = ksTwoSample(
    range(1000).map((i) => i / 1000),
    range(1000).map((i) => (i / 1000) ** 2),
  );
  assert.equal(r.statistic, 0.25);
  assertClose(r.pvalue, 7.613348817400856e-28, 'tiny exact p', 1e-9, 0);
});

test('ks_2samp asymptotic reference values via kstwoSf(D, round(nm/(n+m)))', () => {
  // method='asymp' is not exposed; these are the kstwo.sf values that path computes.
  assertClose(kstwoSf(232 / 1100, Math.round((100 * 110) / 210)), 0.016541419540219482, 'linspace');
  assertClose(kstwoSf(0.625, 4), 0.04931640625, 'A vs B');
});

test('wasserstein_distance reference vectors', () => {
  assertAbs(wasserstein([0, 1, 2], [1, 2, 3]), 1, 1e-15, 'shift 1');
  assertAbs(wasserstein([1, 2, 3, 4, 5], [11, 12, 13, 14, 15]), 10, 1e-14, 'shift 10');
  assertClose(wasserstein(A, B), 4.1625, 'A vs B');
  const stdA = meanAndStd(A).std;
  assertClose(stdA, 5.328094757978691, 'std A');
  assertClose(normalizedWasserstein(wasserstein(A, B), stdA), 0.781236105789365, 'normalised');
  const w = wasserstein(
    range(1000).map((i) => i / 1000),
    range(1000).map((i) => (i / 1000) ** 2),
  );
  assertClose(w, 0.1666665, 'i/1000 vs squares');
});

test('jensenshannon reference vectors', () => {
  // Our distance is base 2; the natural-log distance is it times sqrt(ln 2).
  assertClose(jensenShannonDistance([1, 0], [0.5, 0.5]) * Math.sqrt(Math.LN2), 0.46450140402245893, 'ln');
  assertClose(jensenShannonDistance([1, 0, 0], [0, 1, 0]), 1.0, 'base 2');
});

test('chi2_contingency reference vectors', () => {
  const r1 = chi2Homogeneity([60, 30, 10, 0], [40, 40, 10, 10]);
  assert.ok(r1);
  assertClose(r1.statistic, 15.428571428571429, 'statistic 1');
  assertClose(r1.pvalue, 0.0014847264272922589, 'p 1');
  const r2 = chi2Homogeneity([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
  assert.ok(r2);
  assertClose(r2.statistic, 1.6224089635854342, 'statistic 2');
  assertClose(r2.pvalue, 0.8985262394026607, 'p 2');
});

test('PSI primitive reference vector', () => {
  assertClose(psi([3, 2, 2], [1, 2, 3]), 0.37461717019815916, 'psi');
});
