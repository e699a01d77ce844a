// The postgres source's cells: for every value, the cell PostgreSQL's width_bucket or
// array_position gives must carry the bins and flags the per-record path computes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProfile, DEFAULT_SETTINGS } from '../src/profile/build.ts';
import { isOutOfRange, numericBins } from '../src/profile/classify.ts';
import type { Cell } from '../src/io/read-table.ts';
import { layoutFor } from '../src/window/layout.ts';
import { cellsOf, numericCell } from '../src/sources/postgres/postgres-cells.ts';

/** PostgreSQL's width_bucket over a float8 array: the thresholds ≤ x, NaN ordered above +Infinity. */
function widthBucket(x: number, thresholds: Float64Array): number {
  const le = (a: number, b: number): boolean => (Number.isNaN(b) ? true : Number.isNaN(a) ? false : a <= b);
  let count = 0;
  for (const t of thresholds) if (le(t, x)) count++;
  return count;
}

const reference = Array.from({ length: 500 }, (_, i) => Math.round(Math.sin(i) * 1000) / 100);
const profile = buildProfile(
  {
    rowCount: reference.length,
    columns: new Map<string, Cell[]>([
      ['x', reference],
      ['colour', reference.map((v, i) => (v > 5 ? 'rare' : ['red', 'green', 'blue'][i % 3]))],
    ]),
  },
  [
    { name: 'x', type: 'numeric' },
    { name: 'colour', type: 'categorical' },
  ],
  { ...DEFAULT_SETTINGS, max_categories: 2 },
);
const [x, colour] = layoutFor(profile).features;

test('numeric cells: every value, edges and range bounds included, gets its bins and out-of-range flag', () => {
  assert.equal(x.type, 'numeric');
  if (x.type !== 'numeric') return;
  const cells = cellsOf(x);
  const values = [...x.edges, ...x.fineEdges, x.profile.min, x.profile.max, -Infinity, Infinity, 0, -0];
  for (const v of [...values]) values.push(v + 1e-9, v - 1e-9, v * (1 + Number.EPSILON), v * (1 - Number.EPSILON));
  for (let i = 0; i < 2000; i++) values.push((Math.random() - 0.5) * 25);
  for (const v of values) {
    const cell = widthBucket(v, cells.thresholds);
    assert.equal(numericCell(cells, v), cell, `Node's cell of ${v}`);
    const [bin, fine] = numericBins(v, x.profile);
    assert.deepEqual(
      [cells.bin[cell], cells.fine[cell], cells.unusual[cell] === 1, cells.finite[cell] === 1],
      [bin, fine, isOutOfRange(v, x.profile), Number.isFinite(v)],
      `value ${v}`,
    );
  }
  assert.equal(cells.bin[widthBucket(NaN, cells.thresholds)], -1, 'NaN is missing');
  assert.equal(numericCell(cells, NaN), widthBucket(NaN, cells.thresholds), "Node's cell of NaN");
  assert.equal(cells.bin[cells.nullCell], -1, 'NULL is missing');
});

test('categorical cells: top categories, other known ones, new ones and NULL', () => {
  assert.equal(colour.type, 'categorical');
  if (colour.type !== 'categorical') return;
  const cells = cellsOf(colour);
  const cellOf = (value: string | null): number => {
    const position = cells.categories.indexOf(value);
    return position < 0 ? cells.nullCell : position + 1;
  };
  for (const value of ['red', 'green', 'blue', 'rare', 'violet']) {
    const cell = cellOf(value);
    assert.deepEqual(
      [cells.bin[cell], cells.unusual[cell] === 1],
      [colour.binOf(value), !colour.isKnown(value)],
      value,
    );
  }
  assert.equal(cells.bin[cellOf(null)], -1, 'NULL is missing');
});
