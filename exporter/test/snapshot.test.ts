// Snapshots in process: the rings round-trip byte for byte, a restored state exports the same
// window metrics, and every kind of bad file is refused with its reason, leaving the model empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { Reloader } from '../src/reload.ts';
import { decodeSnapshot, PREAMBLE_BYTES, SNAPSHOT_VERSION } from '../src/snapshot/format.ts';
import { logRestore, restoreFromStorage, restoreSnapshot, SNAPSHOT_FILE } from '../src/snapshot/restore.ts';
import { SnapshotStatus } from '../src/snapshot/scheduler.ts';
import { readTable } from '../src/io/read-table.ts';
import { buildProfile, DEFAULT_SETTINGS } from '../src/profile/build.ts';
import { saveProfile } from '../src/profile/file.ts';
import { hashProfile } from '../src/profile/hash.ts';
import { SnapshotScheduler } from '../src/snapshot/scheduler.ts';
import { startState } from '../src/startup.ts';
import type { Exporter } from '../src/exporter.ts';
import { SliceRing } from '../src/window/ring.ts';
import { records, REFERENCE, writeConfig } from './helpers/snapshot-process.ts';
import { asOlderFormat } from './helpers/snapshot-format.ts';

const CONFIG = (reference = REFERENCE, minSamples = 100) => `
models:
  - name: m
    reference: { path: ${reference} }
    features: [{ name: x }, { name: color }]
    prediction: { name: level }
    windows: [1h, 24h]
    min_samples: ${minSamples}
  - name: c
    reference: { path: ${REFERENCE} }
    features: [{ name: x }]
    prediction: { name: color }
    min_samples: 10
`;

async function filledState(config = CONFIG(), now = Date.now()): Promise<Exporter> {
  const { state } = await startState(parseConfig(config, 'test.yml'));
  const m = state.models.get('m')!.windows;
  for (const [i, record] of (records(3000) as { features: Record<string, unknown> }[]).entries()) {
    m.ingest({ model: 'm', features: record.features, prediction: i % 3, timestampMs: now - (i % 300) * 10_000 }, now);
  }
  m.ingest({ model: 'm', features: { x: 'oops', color: 7 }, prediction: 1, modelVersion: 'v7' }, now);
  for (let i = 0; i < 200; i++) {
    const color = ['red', 'green', 'blue', 'violet'][i % 4];
    state.models.get('c')!.windows.ingest({ model: 'c', features: { x: i / 200 }, prediction: color }, now);
    state.receiveLabel('c', { id: `none-${i}`, label: color }, now);
  }
  // Labels with the record: performance rings, classes seen after the reference's ("violet").
  const c = state.models.get('c')!;
  for (let i = 0; i < 100; i++) {
    c.performance!.observe({ prediction: i % 2 ? 'violet' : 'red', label: 'red', scores: { red: 0.6 } }, now, now);
  }
  return state;
}

async function snapshotOf(state: Exporter): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-snap-'));
  const scheduler = new SnapshotScheduler(state, { dir, intervalMs: 1000 });
  assert.equal(await scheduler.snapshot(), true);
  return readFileSync(join(dir, SNAPSHOT_FILE));
}

/** The families that come from the windows (and the freshness gauges); counters restart. */
function windowMetrics(state: Exporter, now: number): string[] {
  return renderMetrics(state, now)
    .split('\n')
    .filter((line) => /window="|last_record|model_info/.test(line) && !line.startsWith('#'));
}

test('a ring serializes and restores byte for byte, and refuses bytes of another shape', () => {
  const ring = new SliceRing(60_000, 6, 5, 2);
  const now = 1_000_000;
  for (let t = now - 50_000; t <= now; t += 7_000) {
    const slot = ring.slotFor(t, now);
    ring.add(slot, t % 5, t / 1000);
    ring.extend(slot, 1, -t);
  }
  const bytes = ring.serialize();
  assert.equal(bytes.byteLength, ring.bytes);
  const copy = new SliceRing(60_000, 6, 5, 2);
  assert.equal(copy.restore(bytes), true);
  assert.deepEqual(copy.total(now), ring.total(now));
  assert.deepEqual(copy.serialize(), bytes);
  assert.equal(new SliceRing(60_000, 6, 4, 2).restore(bytes), false);
});

test('a restored state exports the same window metrics (drift, quality, performance, freshness)', async () => {
  const now = Date.now();
  const state = await filledState(CONFIG(), now);
  const file = await snapshotOf(state);
  const fresh = (await startState(parseConfig(CONFIG(), 'test.yml'))).state;
  const report = restoreSnapshot(file, fresh.models, now);
  assert.deepEqual(report.failures, []);
  assert.deepEqual(report.restored.sort(), ['c', 'm']);
  const before = windowMetrics(state, now);
  assert.ok(before.some((line) => line.startsWith('mlmon_performance_accuracy{model="c"')));
  assert.ok(before.some((line) => line.includes('model_version="v7"')));
  assert.deepEqual(windowMetrics(fresh, now), before);
  assert.deepEqual(
    fresh.models.get('c')!.performance!.classes.names,
    state.models.get('c')!.performance!.classes.names,
  );
  // Counters are not part of a snapshot: they restart at zero with the process.
  assert.equal(fresh.models.get('m')!.windows.recordsTotal, 0);
});

test('truncated, corrupt and wrong-version files are refused with their reason', async () => {
  const state = await filledState();
  const file = await snapshotOf(state);
  const headerLength = file.readUInt32LE(12);
  const reasonOf = (bytes: Buffer) => {
    const models = new Map(state.models); // restoring into a filled state must not touch it either
    const report = restoreSnapshot(bytes, models);
    assert.deepEqual(report.restored, []);
    return report.failures.map((f) => f.reason);
  };
  const flipped = (at: number) => {
    const copy = Buffer.from(file);
    copy[at] ^= 0x40;
    return copy;
  };
  for (const length of [0, 7, 63, PREAMBLE_BYTES + 10, file.byteLength - 1]) {
    assert.deepEqual(reasonOf(file.subarray(0, length)), ['truncated'], `${length} bytes`);
  }
  assert.deepEqual(reasonOf(flipped(PREAMBLE_BYTES + 5)), ['corrupt'], 'a bit of the header');
  assert.deepEqual(reasonOf(flipped(PREAMBLE_BYTES + headerLength + 1000)), ['corrupt'], 'a bit of the payload');
  assert.deepEqual(reasonOf(flipped(30)), ['corrupt'], 'a bit of the checksum');
  assert.deepEqual(reasonOf(flipped(1)), ['corrupt'], 'the magic');
  assert.deepEqual(reasonOf(Buffer.concat([file, Buffer.from('x')])), ['corrupt'], 'bytes after the payload');
  assert.deepEqual(reasonOf(Buffer.from('{"models": []}\n'.repeat(10))), ['corrupt'], 'another file');
  const future = Buffer.from(file);
  future.writeUInt32LE(SNAPSHOT_VERSION + 1, 8);
  assert.deepEqual(reasonOf(future), ['version']);
  assert.equal(decodeSnapshot(file).header.models.length, 2);
});

test('a snapshot of another reference is foreign, of another config is refused; other models restore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-snap-'));
  const lines = readFileSync(REFERENCE, 'utf8').trim().split('\n');
  const reference = join(dir, 'reference.csv');
  writeFileSync(reference, lines.join('\n'));
  const file = await snapshotOf(await filledState(CONFIG(reference)));
  writeFileSync(reference, lines.slice(0, -50).join('\n')); // same path, other content: another hash
  const foreign = (await startState(parseConfig(CONFIG(reference), 'test.yml'))).state;
  const report = restoreSnapshot(file, foreign.models);
  assert.deepEqual(
    report.failures.map((f) => [f.model, f.reason]),
    [['m', 'foreign']],
  );
  assert.deepEqual(report.restored, ['c']);
  assert.match(renderMetrics(foreign), /mlmon_model_window_records\{model="m",window="1h"\} 0\n/);

  writeFileSync(reference, lines.join('\n'));
  const changed = (await startState(parseConfig(CONFIG(reference, 500), 'test.yml'))).state;
  assert.deepEqual(
    restoreSnapshot(file, changed.models).failures.map((f) => [f.model, f.reason]),
    [['m', 'definition']],
  );
});

test('startState restores from --storage.path; no file is a first start, not a failure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-snap-'));
  const config = parseConfig(CONFIG(), 'test.yml');
  const first = await startState(config, { storagePath: dir, restoreSnapshot: true });
  assert.deepEqual(first.restore, { restored: [], failures: [] });
  writeFileSync(join(dir, SNAPSHOT_FILE), await snapshotOf(await filledState()));
  const second = await startState(config, { storagePath: dir, restoreSnapshot: true });
  assert.deepEqual(second.restore!.restored.sort(), ['c', 'm']);
  assert.ok(second.state.models.get('m')!.windows.totals(Date.now())[0].counts[0] > 3000);
  assert.deepEqual(restoreFromStorage(join(dir, 'absent'), second.state.models).failures, []);
});

test('after a config reload, snapshots hold the kept models (state intact) and the new ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-snap-'));
  const configFile = writeConfig(dir);
  const { state, sources } = await startState(parseConfig(readFileSync(configFile, 'utf8'), configFile));
  const now = Date.now();
  const m = state.models.get('m')!;
  for (const record of records(500) as { features: Record<string, unknown> }[]) {
    m.windows.ingest({ model: 'm', features: record.features }, now);
  }
  const scheduler = new SnapshotScheduler(state, { dir, intervalMs: 1000 });
  const { snapshotCollector } = await import('../src/snapshot/collect.ts');
  state.metrics.register(snapshotCollector(state, scheduler.status));
  writeFileSync(
    configFile,
    `${readFileSync(configFile, 'utf8')}  - name: other\n    reference: { path: ${REFERENCE} }\n    features: [{ name: x }]\n`,
  );
  const reloader = new Reloader(configFile, state, sources, dir);
  assert.deepEqual(await reloader.reload(), { ok: true });
  assert.equal(state.models.get('m'), m, 'the unchanged model is kept');
  assert.equal(await scheduler.snapshot(), true);
  const { header } = decodeSnapshot(readFileSync(join(dir, SNAPSHOT_FILE)));
  assert.deepEqual(
    header.models.map((model) => model.name),
    ['m', 'other'],
  );
  const restored = (await startState(parseConfig(readFileSync(configFile, 'utf8'), configFile))).state;
  restoreSnapshot(readFileSync(join(dir, SNAPSHOT_FILE)), restored.models);
  assert.equal(restored.models.get('m')!.windows.totals(now)[0].counts[0], 500);
  // The snapshot families survive the reload (which stops and rebuilds the sources).
  assert.match(renderMetrics(state), /mlmon_snapshot_last_success_timestamp_seconds [1-9]/);
  await reloader.stop();
});

/**
 * What the exporter before snapshot format 2 wrote: the same container with version 1 in its
 * preamble, the windows counted on a reference profile without per-bin sums of the fine CDF (an
 * older profile file, or the CSV profiled by that version), so its numeric rings are narrower.
 */
async function formatOneSnapshot(dir: string): Promise<{ file: Buffer; oldProfile: string }> {
  const profile = buildProfile(
    await readTable(REFERENCE, 'csv'),
    [
      { name: 'x', type: 'numeric' },
      { name: 'color', type: 'categorical' },
    ],
    DEFAULT_SETTINGS,
  );
  for (const feature of Object.values(profile.features)) if (feature.type === 'numeric') delete feature.fine_sums;
  const oldProfile = join(dir, 'profile-v1.json');
  await saveProfile({ ...profile, hash: hashProfile(profile) }, oldProfile);
  const { state } = await startState(parseConfig(ONE_MODEL(oldProfile), 'test.yml'));
  const now = Date.now();
  for (const record of records(500) as { features: Record<string, unknown> }[]) {
    state.models.get('m')!.windows.ingest({ model: 'm', features: record.features }, now);
  }
  const file = asOlderFormat(await snapshotOf(state), 1, state);
  return { file, oldProfile };
}

const ONE_MODEL = (reference: string) => `
models:
  - name: m
    reference: { path: ${reference} }
    features: [{ name: x }, { name: color }]
    windows: [1h]
`;

test('a format-1 snapshot restores where its windows mean the same, else is refused as version with the cause', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-snap-'));
  const { file, oldProfile } = await formatOneSnapshot(dir);
  assert.equal(decodeSnapshot(file).version, 1);

  // The same old profile as the reference: the rings have the layout they were written in.
  const same = (await startState(parseConfig(ONE_MODEL(oldProfile), 'test.yml'))).state;
  const kept = restoreSnapshot(file, same.models);
  assert.deepEqual(kept, { ...kept, restored: ['m'], failures: [] });
  assert.match(renderMetrics(same), /mlmon_model_window_records\{model="m",window="1h"\} 500\n/);

  // The reference data profiled by this version (tail edges, per-bin sums): refused, and said so.
  writeFileSync(join(dir, SNAPSHOT_FILE), file);
  const upgraded = await startState(parseConfig(ONE_MODEL(REFERENCE), 'test.yml'), {
    storagePath: dir,
    restoreSnapshot: true,
  });
  const report = upgraded.restore!;
  assert.deepEqual(report.restored, []);
  assert.deepEqual(
    report.failures.map((f) => [f.model, f.reason]),
    [['m', 'version']],
  );
  const lines: string[] = [];
  logRestore(report, SNAPSHOT_FILE, {
    info: (line) => lines.push(`info ${line}`),
    warn: (line) => lines.push(`warn ${line}`),
  });
  assert.match(
    lines[0],
    /^warn .*not restored \(version\): model m: snapshot format 1 .*per-bin sums.*; starting empty$/,
  );
  const status = new SnapshotStatus();
  status.recordRestore(report, upgraded.state.models);
  assert.equal(status.restoreFailures.get('version'), 1);
  assert.match(renderMetrics(upgraded.state), /mlmon_model_window_records\{model="m",window="1h"\} 0\n/);
});
