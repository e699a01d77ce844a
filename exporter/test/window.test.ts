// Window state: slices expire, late records are dropped and counted, future ones are clamped,
// and memory is fixed by features × bins × slices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProfile, DEFAULT_SETTINGS } from '../src/profile/build.ts';
import { currentFromWindow } from '../src/report/from-window.ts';
import { ModelWindows } from '../src/window/model-windows.ts';
import { SliceRing } from '../src/window/ring.ts';

const HOUR = 3_600_000;
const table = {
  columns: new Map<string, (number | string)[]>([
    ['x', Array.from({ length: 1000 }, (_, i) => i / 10)],
    ['c', Array.from({ length: 1000 }, (_, i) => ['a', 'b', 'c'][i % 3])],
  ]),
  rowCount: 1000,
};
const profile = buildProfile(
  table,
  [
    { name: 'x', type: 'numeric' },
    { name: 'c', type: 'categorical' },
  ],
  DEFAULT_SETTINGS,
);

function model() {
  return new ModelWindows('m', profile, { windowsMs: [HOUR, 24 * HOUR], slices: 60, futureToleranceMs: 300_000 });
}

test('a slice ring sums only the slices inside the window', () => {
  const ring = new SliceRing(60_000, 6, 1, 0); // 10 s slices
  const t0 = 1_000_000_000_000;
  ring.add(ring.slotFor(t0, t0), 0, 5);
  ring.add(ring.slotFor(t0 + 30_000, t0 + 30_000), 0, 7);
  assert.equal(ring.total(t0 + 30_000).counts[0], 12);
  assert.equal(ring.total(t0 + 65_000).counts[0], 7); // the first slice has left the window
  assert.equal(ring.total(t0 + 100_000).counts[0], 0);
  assert.equal(ring.slotFor(t0 - 60_000, t0), -1);
});

test('records land in the slice of their own timestamp', () => {
  const state = model();
  const now = Date.now();
  state.ingest({ model: 'm', features: { x: 1 }, timestampMs: now - 2 * HOUR }, now);
  state.ingest({ model: 'm', features: { x: 2 } }, now);
  const [hour, day] = state.totals(now);
  assert.equal(hour.counts[0], 1);
  assert.equal(day.counts[0], 2);
});

test('late records are dropped and counted; future ones are counted and clamped', () => {
  const state = model();
  const now = Date.now();
  assert.equal(state.ingest({ model: 'm', features: { x: 1 }, timestampMs: now - 25 * HOUR }, now), 'late');
  assert.equal(state.ingest({ model: 'm', features: { x: 1 }, timestampMs: now + HOUR }, now), 'counted');
  assert.equal(state.ingest({ model: 'm', features: { x: 1 }, timestampMs: now + 60_000 }, now), 'counted');
  assert.equal(state.lateTotal, 1);
  assert.equal(state.futureTotal, 1); // within the 5 min tolerance is not counted as future
  assert.equal(state.totals(now)[0].counts[0], 2);
  assert.equal(state.lastRecordMs, now);
});

test('values: missing, NaN, wrong types, ±Infinity and unseen categories', () => {
  const state = model();
  const now = Date.now();
  const values: unknown[] = [null, NaN, 'high', Infinity, -Infinity, 50];
  for (const x of values) state.ingest({ model: 'm', features: { x, c: 'zzz' } }, now);
  state.ingest({ model: 'm', features: { c: 4 } }, now);
  const totals = state.totals(now)[0];
  const x = currentFromWindow(state.layout.byName.get('x')!, totals);
  const c = currentFromWindow(state.layout.byName.get('c')!, totals);
  assert.equal(x.present, 3); // ±Infinity are values
  assert.equal(x.missing, 4); // null, NaN, 'high', absent
  assert.equal(x.violations, 1);
  assert.ok(x.type === 'numeric' && x.outOfRange === 2 && x.finite === 1);
  assert.equal(x.bins[0] + x.bins[x.bins.length - 1], 2); // the infinities sit in the edge bins
  assert.ok(c.type === 'categorical' && c.newCategories === 6 && c.violations === 1);
  assert.equal(c.bins[c.bins.length - 1], 6); // __other__
  assert.equal(state.violations.get('x\texpected_number'), 1);
});

test('memory is bounded by features × bins × slices, whatever the traffic', () => {
  const state = model();
  const before = state.windowBytes;
  const now = Date.now();
  for (let i = 0; i < 50_000; i++) state.ingest({ model: 'm', features: { x: i % 100, c: `v${i}` } }, now + i);
  assert.equal(state.windowBytes, before);
  // 2 windows × 60 slices × (1 + numeric 7 + 10 bins + 106 fine bins + their 106 sums and 1 count
  // + categorical 4 + 4 bins) × 8 bytes, plus extrema.
  assert.ok(before < 2 * 60 * 239 * 8 + 2 * 60 * (16 + 8) + 1000, `window bytes ${before}`);
});

test('windows read now and then hold exactly what windows read after every record hold', () => {
  // Whole-number counters wait in one row for all windows until a read or a new slice; the windows
  // read after every record (each record added on its own) must not differ by a single count.
  let seed = 11;
  const random = () => ((seed = (seed * 48271) % 2147483647) - 1) / 2147483646;
  const everyRecord = model();
  const nowAndThen = model();
  let now = 1_000_000_000_000;
  for (let i = 0; i < 20_000; i++) {
    now += Math.floor(random() * 3 * 60_000 * (random() < 0.01 ? 600 : 1)); // seconds to minutes, now and then hours
    const late = random() < 0.05;
    const record = {
      model: 'm',
      features: {
        x: random() < 0.05 ? 'text' : random() < 0.05 ? null : random() * 130 - 15,
        c: random() < 0.05 ? 7 : ['a', 'b', 'c', 'd'][Math.floor(random() * 4)],
      },
      // Late ones fall in older slices, some beyond the 1 h window or beyond both.
      timestampMs: late ? now - Math.floor(random() * 30 * HOUR) : random() < 0.5 ? now : undefined,
    };
    assert.equal(everyRecord.ingest(record, now), nowAndThen.ingest(record, now));
    everyRecord.totals(now);
    if (random() < 0.002) assert.deepEqual(nowAndThen.totals(now), everyRecord.totals(now));
  }
  assert.deepEqual(nowAndThen.totals(now), everyRecord.totals(now));
  assert.deepEqual(
    nowAndThen.windowRings.map((ring) => ring.serialize()),
    everyRecord.windowRings.map((ring) => ring.serialize()),
  );
});

test('a record a whole window later, or a window that stops taking a slice, finds the earlier records counted', () => {
  const slice = HOUR / 60;
  const t0 = 1_000_000_000_000 - (1_000_000_000_000 % slice);
  const everyRecord = model();
  const nowAndThen = model();
  const steps = [
    // One hour later: the 1 h ring's slot is the same, for a new slice (it is cleared first).
    { ts: t0, now: t0 },
    { ts: t0 + HOUR, now: t0 + HOUR },
    // The same slice again, seen when the 1 h window has moved past it: only the 24 h ring takes it.
    { ts: t0 + HOUR + 1, now: t0 + HOUR + 2 },
    { ts: t0 + HOUR + 1, now: t0 + 2 * HOUR + slice },
  ];
  for (const { ts, now } of steps) {
    const record = { model: 'm', features: { x: ts % 100, c: 'a' }, timestampMs: ts };
    everyRecord.ingest(record, now);
    everyRecord.totals(now);
    nowAndThen.ingest(record, now);
  }
  const now = steps[steps.length - 1].now;
  assert.deepEqual(nowAndThen.totals(now), everyRecord.totals(now));
  assert.deepEqual(
    nowAndThen.windowRings.map((ring) => ring.serialize()),
    everyRecord.windowRings.map((ring) => ring.serialize()),
  );
});
