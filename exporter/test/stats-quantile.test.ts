import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binIndex, quantileEdges, quantileSorted } from '../src/stats/index.ts';
import { golden } from './fixtures/stats-golden.ts';

test('quantileSorted equals numpy.quantile (linear) bit for bit', () => {
  for (const c of golden.quantile) {
    c.q.forEach((q, i) => {
      assert.equal(quantileSorted(c.sorted, q), c.expected[i], `n=${c.sorted.length} q=${q}`);
    });
  }
});

test('quantileEdges equals numpy.unique(numpy.quantile(ref, arange(1, k) / k))', () => {
  for (const c of golden.quantile) {
    for (const [k, expected] of Object.entries(c.edges)) {
      assert.deepEqual(quantileEdges(c.sorted, Number(k)), expected, `n=${c.sorted.length} k=${k}`);
    }
  }
});

test('quantile helpers on empty input', () => {
  assert.ok(Number.isNaN(quantileSorted([], 0.5)));
  assert.deepEqual(quantileEdges([], 10), []);
});

test('quantileSorted keeps infinite neighbours instead of numpy NaN', () => {
  assert.equal(quantileSorted([1, Infinity], 0.5), Infinity);
  assert.equal(quantileSorted([-Infinity, 1], 0.5), -Infinity);
  assert.equal(quantileSorted([1, 2, Infinity], 0.5), 2);
});

test('binIndex equals numpy.digitize, including ±Infinity, NaN and values on edges', () => {
  for (const c of golden.digitize) {
    c.x.forEach((x, i) => {
      assert.equal(binIndex(x, c.edges), c.expected[i], `x=${x} edges=${c.edges.join(',')}`);
    });
  }
});

test('bin counts of every scenario equal numpy.digitize counts', () => {
  for (const s of golden.numeric) {
    if (!s.ref || !s.cur) continue;
    const sorted = Float64Array.from(s.ref).sort();
    const edges = quantileEdges(sorted, s.k);
    assert.deepEqual(edges, s.edges, s.name);
    assert.deepEqual(quantileEdges(sorted, 100), s.fineEdges, `${s.name} fine`);
    for (const [values, expected] of [
      [s.ref, s.refCounts],
      [s.cur, s.curCounts],
    ] as const) {
      const counts = new Array<number>(edges.length + 1).fill(0);
      for (const v of values) counts[binIndex(v, edges)]++;
      assert.deepEqual(counts, expected, s.name);
    }
  }
});
