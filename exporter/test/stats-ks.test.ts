import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ksPValue, ksTwoSample, kstwoSf, smirnov } from '../src/stats/index.ts';
import { assertClose } from '../../testkit/index.ts';
import { golden } from './fixtures/stats-golden.ts';

test('kstwoSf equals scipy.stats.kstwo.sf over every kolmogn branch', () => {
  const branches = new Set<string>();
  for (const c of golden.kstwo) {
    branches.add(c.branch);
    // Rel 1e-9 everywhere: the port follows scipy's algorithm; only rounding order differs
    // (scipy's Durbin matrix switches to long double after rescaling).
    assertClose(kstwoSf(c.d, c.n), c.sf, `kstwo.sf(${c.d}, ${c.n}) [${c.branch}]`);
  }
  for (const b of [
    'ruben-gambino-low',
    'ruben-gambino-high',
    'smirnov-x>=0.5',
    'dmtw',
    'pomeranz',
    'smirnov-miller',
    'smirnov',
    'smirnov-n>1e6',
    'pelz-good',
    'zero',
  ]) {
    assert.ok(branches.has(b), `fixture covers ${b}`);
  }
});

test('kstwoSf rejects invalid n and NaN', () => {
  assert.ok(Number.isNaN(kstwoSf(0.1, 0)));
  assert.ok(Number.isNaN(kstwoSf(0.1, 2.5)));
  assert.ok(Number.isNaN(kstwoSf(NaN, 10)));
});

test('smirnov equals scipy.special.smirnov', () => {
  for (const c of golden.smirnov) {
    assertClose(smirnov(c.n, c.x), c.sf, `smirnov(${c.n}, ${c.x})`);
  }
});

test('ksTwoSample equals scipy.stats.ks_2samp (exact and asymptotic paths)', () => {
  const methods = new Set<string>();
  for (const c of golden.ks2samp) {
    methods.add(c.method);
    const r = ksTwoSample(c.a, c.b);
    assert.equal(r.statistic, c.statistic, `${c.name} statistic`);
    assertClose(r.pvalue, c.pvalue, `${c.name} pvalue (${c.method}, en=${c.en})`);
  }
  assert.deepEqual([...methods].sort(), ['asymp', 'exact']);
  const halves = golden.ks2samp.filter((c) => c.en % 1 === 0.5);
  assert.ok(
    halves.some((c) => Math.floor(c.en) % 2 === 0),
    'a .5 rounding down',
  );
  assert.ok(
    halves.some((c) => Math.floor(c.en) % 2 === 1),
    'a .5 rounding up',
  );
});

test('ksTwoSample accepts unsorted input and gives NaN for an empty side', () => {
  const a = [3, 1, 2, 5, 4];
  const b = [2.5, 0.5, 9];
  assert.deepEqual(ksTwoSample(a, b), ksTwoSample([...a].sort(), [...b].sort()));
  const r = ksTwoSample([], [1, 2]);
  assert.ok(Number.isNaN(r.statistic) && Number.isNaN(r.pvalue));
});

test('ksPValue equals the p-value scipy computes for (D, n, m)', () => {
  for (const c of golden.ksPValue) {
    assertClose(ksPValue(c.d, c.n, c.m), c.pvalue, `ksPValue(${c.d}, ${c.n}, ${c.m})`);
  }
});
