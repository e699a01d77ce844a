// The two ways into a window agree: records counted one by one (`ingest`, the HTTP API and file
// sources) and the same records' counts aggregated elsewhere (`addAggregate`, the postgres source)
// leave the same window counts, extrema and bin observations. The aggregates are computed here
// from the definitions (a linear scan of the edges, as numpy.digitize), not by the exporter's code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildProfile, DEFAULT_SETTINGS } from '../src/profile/build.ts';
import type { CategoricalProfile, NumericProfile } from '../src/profile/types.ts';
import { ModelWindows, type FeatureAggregate } from '../src/window/model-windows.ts';

const HOUR = 3_600_000;
const profile = buildProfile(
  {
    columns: new Map<string, (number | string)[]>([
      ['x', Array.from({ length: 1000 }, (_, i) => i / 10)],
      ['c', Array.from({ length: 1000 }, (_, i) => ['a', 'b', 'c', 'd'][i % 7 === 0 ? 3 : i % 3])],
    ]),
    rowCount: 1000,
  },
  [
    { name: 'x', type: 'numeric' },
    { name: 'c', type: 'categorical' },
  ],
  { ...DEFAULT_SETTINGS, max_categories: 2 },
);
const numeric = profile.features.x as NumericProfile;
const categorical = profile.features.c as CategoricalProfile;
const windows = () =>
  new ModelWindows('m', profile, { windowsMs: [HOUR, 24 * HOUR], slices: 60, futureToleranceMs: 0 });

/** numpy.digitize (right=False): the number of edges at or below the value. */
const digitize = (value: number, edges: readonly number[]) => edges.filter((edge) => edge <= value).length;
const isMissing = (v: unknown) => v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));

/** Counts the value as missing, a violation (and missing), or present: true when present. */
function counted(a: { present: number; missing: number; violations: number }, v: unknown, type: string): boolean {
  if (isMissing(v) || typeof v !== type) {
    a.missing++;
    if (!isMissing(v)) a.violations++;
    return false;
  }
  a.present++;
  return true;
}

function numericAggregate(values: unknown[]): FeatureAggregate {
  const centre = numeric.mean;
  const a = {
    present: 0,
    missing: 0,
    violations: 0,
    unusual: 0,
    bins: new Array<number>(numeric.edges.length + 1).fill(0),
    fine: new Array<number>(numeric.fine_edges.length + 1).fill(0),
    fineCentredSums: new Array<number>(numeric.fine_edges.length + 1).fill(0),
    finite: 0,
    centredSum: 0,
    centredSumSquares: 0,
    min: undefined as number | undefined,
    max: undefined as number | undefined,
  };
  for (const v of values) {
    if (counted(a, v, 'number')) {
      const x = v as number;
      a.bins[digitize(x, numeric.edges)]++;
      a.fine[digitize(x, numeric.fine_edges)]++;
      if (x < numeric.min || x > numeric.max) a.unusual++;
      if (Number.isFinite(x)) {
        a.finite++;
        a.fineCentredSums[digitize(x, numeric.fine_edges)] += x - centre;
        a.centredSum += x - centre;
        a.centredSumSquares += (x - centre) ** 2;
        a.min = Math.min(a.min ?? Infinity, x);
        a.max = Math.max(a.max ?? -Infinity, x);
      }
    }
  }
  return a;
}

function categoricalAggregate(values: unknown[]): FeatureAggregate {
  const known = new Set(categorical.categories.map(([name]) => name));
  const a = { present: 0, missing: 0, violations: 0, unusual: 0, bins: new Array(categorical.top.length + 1).fill(0) };
  for (const v of values) {
    if (!counted(a, v, 'string')) continue;
    const index = categorical.top.indexOf(v as string);
    a.bins[index >= 0 ? index : categorical.top.length]++;
    if (!known.has(v as string)) a.unusual++;
  }
  return a;
}

const xValue = fc.oneof(
  fc.double({ min: -20, max: 120, noNaN: true }),
  fc.constantFrom(...numeric.edges, ...numeric.fine_edges), // exactly on an edge: goes right
  fc.constantFrom(NaN, null, undefined, Infinity, -Infinity, 'text', true),
);
const cValue = fc.constantFrom('a', 'b', 'c', 'd', 'never-seen', null, undefined, 7);
const batch = fc.record({
  rows: fc.array(fc.record({ x: xValue, c: cValue }), { minLength: 1, maxLength: 60 }),
  ageMs: fc.integer({ min: 0, max: 26 * HOUR }),
});

test('ingest record by record and addAggregate of the same records leave the same windows', () => {
  const now = Date.now();
  fc.assert(
    fc.property(fc.array(batch, { minLength: 1, maxLength: 5 }), (batches) => {
      const byRecord = windows();
      const byAggregate = windows();
      for (const { rows, ageMs } of batches) {
        const ts = now - ageMs;
        for (const row of rows) {
          const features: Record<string, unknown> = {};
          if (row.x !== undefined) features.x = row.x;
          if (row.c !== undefined) features.c = row.c;
          byRecord.ingest({ model: 'm', features, timestampMs: ts }, now);
        }
        const aggregates = new Map([
          ['x', numericAggregate(rows.map((r) => r.x))],
          ['c', categoricalAggregate(rows.map((r) => r.c))],
        ]);
        byAggregate.addAggregate(ts, now, rows.length, aggregates);
      }
      assert.equal(byAggregate.recordsTotal, byRecord.recordsTotal);
      assert.equal(byAggregate.lateTotal, byRecord.lateTotal);
      const [a, b] = [byRecord.totals(now), byAggregate.totals(now)];
      for (let w = 0; w < a.length; w++) {
        a[w].counts.forEach((count, i) =>
          assert.ok(Math.abs(count - b[w].counts[i]) <= 1e-9 * Math.max(1, Math.abs(count)), `window ${w} offset ${i}`),
        );
        assert.deepEqual([...b[w].minima], [...a[w].minima]);
        assert.deepEqual([...b[w].maxima], [...a[w].maxima]);
      }
      for (const name of ['x', 'c']) {
        assert.deepEqual([...byAggregate.binObservations.get(name)!], [...byRecord.binObservations.get(name)!]);
      }
    }),
    { numRuns: 200 },
  );
});
