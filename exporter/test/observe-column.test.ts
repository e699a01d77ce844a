// The column observers (window/observe-column.ts) leave a model's windows exactly as observing the
// same values record by record does: every ring counter bit for bit (the sums too), the bin
// observations and the violations, over batches in two slices, with and without fine-bin sums, and
// for records with their own times, out of order, counted in runs of one slice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProfile, DEFAULT_SETTINGS } from '../src/profile/build.ts';
import type { Profile } from '../src/profile/types.ts';
import type { CategoricalSlot } from '../src/window/layout.ts';
import { ModelWindows } from '../src/window/model-windows.ts';
import {
  categoryCode,
  MISSING_CODE,
  observeCategoryColumn,
  observeMissing,
  observeNumberColumn,
  VIOLATION_CODE,
} from '../src/window/observe-column.ts';

const HOUR = 3_600_000;

function profileWithPrediction(): Profile {
  const rows = 2000;
  const table = {
    columns: new Map<string, (number | string)[]>([
      ['x', Array.from({ length: rows }, (_, i) => Math.sin(i) * 10 + i / 100)],
      ['c', Array.from({ length: rows }, (_, i) => ['a', 'b', 'c', 'd'][i % 7 === 0 ? 3 : i % 3])],
      ['p', Array.from({ length: rows }, (_, i) => (i % 10) / 10)],
    ]),
    rowCount: rows,
  };
  const features = [
    { name: 'x', type: 'numeric' as const },
    { name: 'c', type: 'categorical' as const },
  ];
  return buildProfile(table, features, { ...DEFAULT_SETTINGS, max_categories: 3 }, { name: 'p', type: 'numeric' });
}

/** Deterministic awkward values: NaN, ±Infinity, -0, out of range, huge; unknown, missing and wrong-typed categories. */
function batch(seed: number, length: number) {
  const numbers: unknown[] = [];
  const categories: unknown[] = [];
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let r = 0; r < length; r++) {
    const u = next();
    numbers.push(
      u < 0.05
        ? NaN
        : u < 0.08
          ? null
          : u < 0.09
            ? Infinity
            : u < 0.1
              ? -Infinity
              : u < 0.11
                ? -0
                : u < 0.13
                  ? 'abc'
                  : u < 0.15
                    ? 1e300
                    : (next() - 0.5) * 60,
    );
    const v = next();
    categories.push(v < 0.05 ? null : v < 0.08 ? 'new' : v < 0.1 ? { not: 'text' } : ['a', 'b', 'c', 'd'][r % 4]);
  }
  return { numbers, categories };
}

function compare(profile: Profile, withHistory: boolean): void {
  const options = {
    windowsMs: [HOUR, 24 * HOUR],
    slices: 60,
    futureToleranceMs: 300_000,
    history: withHistory ? { ms: 48 * HOUR, sliceMs: HOUR } : undefined,
  };
  const byRecord = new ModelWindows('m', profile, options);
  const byColumn = new ModelWindows('m', profile, options);
  const category = byColumn.layout.features[1] as CategoricalSlot;
  const t0 = Date.UTC(2026, 0, 1, 12, 0, 30);
  // Two batches in one slice, then one in the next: the pending counts are flushed in between.
  for (const [seed, now, length] of [
    [1, t0, 700],
    [2, t0 + 1000, 300],
    [3, t0 + 60_000, 500],
  ]) {
    const { numbers, categories } = batch(seed, length);
    for (let r = 0; r < length; r++) {
      const values = [numbers[r], categories[r], undefined];
      byRecord.ingestValues(undefined, now, undefined, (i) => values[i], 2);
    }
    assert.ok(byColumn.startRecords(undefined, now, undefined, length));
    const target = byColumn.columnTarget;
    const column = new Float64Array(length);
    let violations = 0;
    numbers.forEach((value, r) => {
      if (typeof value === 'number') column[r] = value;
      else {
        column[r] = NaN;
        if (value !== null) violations++;
      }
    });
    const codes = Int32Array.from(categories, (value) =>
      value === null
        ? MISSING_CODE
        : typeof value !== 'string'
          ? VIOLATION_CODE
          : categoryCode(category.binOf(value), category.isKnown(value)),
    );
    observeNumberColumn(target, 0, column, length, violations);
    observeCategoryColumn(target, 1, codes, length);
    observeMissing(target, 2, length);
    byColumn.unknownFeaturesTotal += 2 * length;
  }
  const rings = (windows: ModelWindows) => windows.snapshotRings.map((ring) => Buffer.from(ring.serialize()));
  assert.deepEqual(rings(byColumn), rings(byRecord), 'every ring counter, bit for bit');
  for (const key of ['recordsTotal', 'lateTotal', 'futureTotal', 'unknownFeaturesTotal', 'changes'] as const)
    assert.equal(byColumn[key], byRecord[key], key);
  assert.deepEqual(byColumn.binObservations, byRecord.binObservations);
  assert.deepEqual(byColumn.violations, byRecord.violations);
  assert.deepEqual([...byRecord.violations.keys()].sort(), ['c\texpected_string', 'x\texpected_number']);
  // The batches did reach the counters that matter: sums, out-of-range values, new categories.
  const [hour] = byColumn.totals(t0 + 60_000);
  const x = byColumn.layout.features[0];
  assert.equal(hour.counts[0], 1500);
  assert.notEqual(hour.counts[x.offset + 5], 0);
  assert.ok(hour.counts[x.offset + 3] > 0 && hour.counts[category.offset + 3] > 0);
}

test('column by column equals record by record, with fine-bin sums and a history ring', () => {
  compare(profileWithPrediction(), true);
});

test('column by column equals record by record, without fine-bin sums, PSI edges apart from the fine ones', () => {
  const profile = profileWithPrediction();
  for (const feature of Object.values(profile.features)) {
    if (feature.type !== 'numeric') continue;
    delete feature.fine_sums;
    // PSI edges that are no fine edges: the PSI bin is looked up on its own.
    feature.edges = feature.edges.map((edge) => edge + 0.001);
  }
  compare(profile, false);
});

test('records too old for every window are counted late, and nothing else', () => {
  const windows = new ModelWindows('m', profileWithPrediction(), {
    windowsMs: [HOUR],
    slices: 60,
    futureToleranceMs: 0,
  });
  const now = Date.UTC(2026, 0, 1);
  assert.equal(windows.startRecords(now - 2 * HOUR, now, undefined, 40), false);
  assert.equal(windows.lateTotal, 40);
  assert.equal(windows.recordsTotal, 0);
  assert.equal(windows.startRecords(now + HOUR, now, 'v2', 5), true);
  assert.equal(windows.futureTotal, 5);
  assert.equal(windows.recordsTotal, 5);
  assert.equal(windows.modelVersion, 'v2');
});

test('runs of records with their own times in one slice, started at the latest and observed from an offset, equal record by record', () => {
  const options = { windowsMs: [HOUR, 24 * HOUR], slices: 60, futureToleranceMs: 300_000 };
  const profile = profileWithPrediction();
  const byRecord = new ModelWindows('m', profile, { ...options, history: { ms: 48 * HOUR, sliceMs: HOUR } });
  const byColumn = new ModelWindows('m', profile, { ...options, history: { ms: 48 * HOUR, sliceMs: HOUR } });
  const now = Date.UTC(2026, 0, 1, 12, 0, 30);
  const length = 900;
  const { numbers } = batch(7, length);
  // Times out of order over the last 90 minutes (the hour window's edge), a few at one instant.
  let state = 11;
  const times = Array.from({ length }, (_, r) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return r % 10 === 0 ? now - 45_000 : now - (state % (90 * 60_000)) - 0.5;
  });
  const column = Float64Array.from(numbers, (value) => (typeof value === 'number' ? value : NaN));
  const violations = numbers.map((value) => (value !== null && typeof value !== 'number' ? 1 : 0));
  for (let r = 0; r < length; r++) {
    const values = [numbers[r], 'a', undefined];
    byRecord.ingestValues(times[r], now, 'v1', (i) => values[i], 0);
  }
  const { sliceMs } = byColumn.timeLimits;
  const slices = (ts: number) => sliceMs.map((ms) => Math.floor(ts / ms)).join();
  const codes = new Int32Array(length).fill(
    categoryCode((byColumn.layout.features[1] as CategoricalSlot).binOf('a'), true),
  );
  let runs = 0;
  for (let from = 0; from < length; runs++) {
    let to = from + 1;
    while (to < length && slices(times[to]) === slices(times[from])) to++;
    const latest = Math.max(...times.slice(from, to));
    assert.ok(byColumn.startRecords(latest, now, 'v1', to - from));
    const target = byColumn.columnTarget;
    const wrong = violations.slice(from, to).reduce((sum: number, v) => sum + v, 0);
    observeNumberColumn(target, 0, column, to - from, wrong, from);
    observeCategoryColumn(target, 1, codes, to - from, from);
    observeMissing(target, 2, to - from);
    from = to;
  }
  assert.ok(runs > 100 && runs < length, `${runs} runs`);
  const rings = (windows: ModelWindows) => windows.snapshotRings.map((ring) => Buffer.from(ring.serialize()));
  assert.deepEqual(rings(byColumn), rings(byRecord), 'every ring counter, bit for bit');
  for (const key of ['recordsTotal', 'lastRecordMs', 'modelVersion', 'changes'] as const)
    assert.equal(byColumn[key], byRecord[key], key);
  assert.deepEqual(byColumn.binObservations, byRecord.binObservations);
  assert.deepEqual(byColumn.violations, byRecord.violations);
  // Both windows took records: the hour's share is about two thirds.
  const [hour, day] = byColumn.totals(now);
  assert.equal(day.counts[0], length);
  assert.ok(hour.counts[0] > 500 && hour.counts[0] < 700, `${hour.counts[0]} in the hour`);
});
