// The record path's bin lookup table gives binIndex's bin (numpy.digitize's) for every value,
// whatever the edges: spread, bunched, repeated, one, none, or spanning more than a double can hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binIndex } from '../src/stats/index.ts';
import { BinLookup } from '../src/stats/bin-lookup.ts';

/** Deterministic values in [0, 1) (mulberry32), so that a failure can be replayed. */
function uniform(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The edges themselves, their neighbouring doubles, the infinities, NaN and values drawn around the range. */
function probes(edges: number[], random: () => number): number[] {
  const values = [NaN, Infinity, -Infinity, 0, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE];
  const finite = edges.filter(Number.isFinite);
  const lo = Math.min(...finite, 0);
  const hi = Math.max(...finite, 1);
  for (const edge of edges) values.push(edge, nextDown(edge), nextUp(edge));
  for (let i = 0; i < 2000; i++) values.push(lo - (hi - lo) * 0.1 + random() * (hi - lo) * 1.2);
  return values;
}

function nextUp(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] += x > 0 ? 1n : -1n;
  return new Float64Array(bits.buffer)[0];
}

function nextDown(x: number): number {
  return -nextUp(-x);
}

const random = uniform(13);
const sorted = (values: number[]) => values.sort((a, b) => a - b);
const cases: Record<string, number[]> = {
  none: [],
  one: [0.5],
  'spread (10 quantile edges)': sorted(Array.from({ length: 9 }, () => random() * 100)),
  'spread (100 fine edges)': sorted(Array.from({ length: 99 }, () => random() * 100 - 50)),
  'bunched near zero with one far edge': [...sorted(Array.from({ length: 98 }, () => random() * 1e-6)), 1e12],
  'heavy tail': sorted(Array.from({ length: 99 }, () => Math.exp(random() * 40))),
  'repeated edges': [0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3],
  'all equal': [7, 7, 7, 7],
  'a range wider than a double': [-Number.MAX_VALUE, 0, Number.MAX_VALUE],
  'infinite outer edges': [-Infinity, -1, 0, 1, Infinity],
  'denormal range': [Number.MIN_VALUE, 2 * Number.MIN_VALUE, 5 * Number.MIN_VALUE],
  'negative zero and zero': [-1, -0, 0, 1],
};

for (const [name, edges] of Object.entries(cases)) {
  test(`BinLookup gives binIndex's bin: ${name}`, () => {
    const lookup = new BinLookup(edges);
    for (const x of probes(edges, random)) {
      assert.equal(lookup.index(x), binIndex(x, edges), `x = ${x} on [${edges.join(', ')}]`);
    }
  });
}
