// The streamed snapshot writer (src/snapshot/stream.ts): the file it writes is the one a capture
// of everything at once would give; it holds one ring's copy at a time (the documented worst case);
// records counted while it writes leave every ring whole and restorable; a model fed by a durable
// source is written in one step with the source's checkpoint; a header that outgrows its room
// while the rings are written is written again, whole; at start the file is read ring by ring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import type { Exporter } from '../src/exporter.ts';
import { captureSnapshot, ringsOf } from '../src/snapshot/capture.ts';
import { decodeSnapshot } from '../src/snapshot/format.ts';
import { openSnapshotFile } from '../src/snapshot/read-file.ts';
import { restoreFromStorage, restoreSnapshot, SNAPSHOT_FILE } from '../src/snapshot/restore.ts';
import { writeStreamedSnapshot } from '../src/snapshot/stream.ts';
import { fileSystemIo, type SnapshotIo } from '../src/snapshot/write.ts';
import type { Source } from '../src/sources/source.ts';
import { startState } from '../src/startup.ts';
import { records, REFERENCE } from './helpers/snapshot-process.ts';

const CONFIG = `
models:
  - name: m
    reference: { path: ${REFERENCE} }
    features: [{ name: x }, { name: color }]
    windows: [1h, 24h]
  - name: c
    reference: { path: ${REFERENCE} }
    features: [{ name: x }]
    prediction: { name: color }
    windows: [1h, 24h]
`;

const FEATURES = (records(500) as { features: Record<string, unknown> }[]).map((r) => r.features);

async function state(): Promise<Exporter> {
  return (await startState(parseConfig(CONFIG, 'test.yml'))).state;
}

function ingest(into: Exporter, model: string, n: number, now = Date.now()) {
  const windows = into.models.get(model)!.windows;
  for (let i = 0; i < n; i++) windows.ingest({ model, features: FEATURES[i % FEATURES.length] }, now);
}

/** Records in model `model`'s 1h and 24h windows. */
const counted = (from: Exporter, model: string, now = Date.now()) =>
  from.models
    .get(model)!
    .windows.totals(now)
    .map((total) => total.counts[0]);

/** The real file system, with `beforeWrite` called before each write to the temporary file. */
function ioCalling(beforeWrite: () => void): SnapshotIo {
  return {
    ...fileSystemIo,
    async writeFile(path, parts) {
      beforeWrite();
      return fileSystemIo.writeFile(path, parts);
    },
    async open(path) {
      const file = await fileSystemIo.open(path);
      return {
        write: ((...args: Parameters<typeof file.write>) => {
          beforeWrite();
          return (file.write as (...a: typeof args) => ReturnType<typeof file.write>)(...args);
        }) as typeof file.write,
        read: file.read.bind(file),
        sync: () => file.sync(),
        close: () => file.close(),
      };
    },
  };
}

/** Stands in for a file or postgres source feeding model m: only its checkpoint matters here. */
const durableSource = (checkpoint: () => unknown): Source => ({
  name: 'files',
  model: 'm',
  start: () => undefined,
  stop: async () => undefined,
  checkpoint,
});

const target = () => join(mkdtempSync(join(tmpdir(), 'mlmon-stream-')), SNAPSHOT_FILE);

test('the streamed file holds what a capture at once holds, copying one ring at a time', async () => {
  const live = await state();
  ingest(live, 'm', 700);
  ingest(live, 'c', 300);
  const now = Date.now();
  const path = target();
  const written = await writeStreamedSnapshot(path, live.models, [], fileSystemIo, () => now);
  const file = readFileSync(path);
  assert.equal(written.bytes, file.byteLength);

  const streamed = decodeSnapshot(file);
  const captured = captureSnapshot(live.models, now);
  assert.deepEqual(streamed.header, captured.header);
  assert.ok(streamed.payload.equals(Buffer.concat(captured.chunks)), 'the same payload, byte for byte');

  const rings = [...live.models.values()].flatMap(ringsOf);
  const largest = Math.max(...rings.map((ring) => ring.bytes));
  const total = rings.reduce((sum, ring) => sum + ring.bytes, 0);
  assert.equal(written.copyBytes, largest, 'the one buffer is the largest ring');
  assert.ok(largest * 2 < total, `${largest} of ${total} bytes copied at once`);

  const restored = await state();
  assert.deepEqual(restoreSnapshot(file, restored.models).restored, ['m', 'c']);
  assert.deepEqual(counted(restored, 'm'), [700, 700]);
  assert.deepEqual(counted(restored, 'c'), [300, 300]);
});

test('records counted while the rings are written: a valid file, each ring between before and after', async () => {
  const live = await state();
  ingest(live, 'm', 400);
  const path = target();
  let arrived = 0;
  const io = ioCalling(() => {
    ingest(live, 'm', 10);
    arrived += 10;
  });
  await writeStreamedSnapshot(path, live.models, [], io);
  assert.ok(arrived >= 40, `${arrived} records arrived during the write`);

  const restored = await state();
  assert.deepEqual(restoreSnapshot(readFileSync(path), restored.models).failures, []);
  for (const count of counted(restored, 'm')) {
    assert.ok(count >= 400 && count <= 400 + arrived, `${count} records in a window, 400 to ${400 + arrived}`);
  }
});

test('a model fed by a durable source: its rings and the checkpoint are taken in one step', async () => {
  const live = await state();
  ingest(live, 'm', 400);
  let total = 400;
  // Its checkpoint is the number of records it counted.
  const source = durableSource(() => total);
  const io = ioCalling(() => {
    ingest(live, 'm', 10);
    total += 10;
  });
  const path = target();
  const written = await writeStreamedSnapshot(path, live.models, [source], io);
  const modelBytes = ringsOf(live.models.get('m')!).reduce((sum, ring) => sum + ring.bytes, 0);
  const largestRing = Math.max(...ringsOf(live.models.get('c')!).map((ring) => ring.bytes));
  assert.equal(written.copyBytes, Math.max(modelBytes, largestRing), "the model's rings are copied together");

  const restored = await state();
  const report = restoreSnapshot(readFileSync(path), restored.models);
  const checkpoint = report.sources!.files as number;
  assert.ok(checkpoint > 400 && checkpoint < total, `checkpoint ${checkpoint} taken while records arrived`);
  assert.deepEqual(counted(restored, 'm'), [checkpoint, checkpoint], 'both windows hold what the checkpoint covers');
});

test('a header that outgrows its room while the rings are written is written again, whole', async () => {
  const live = await state();
  ingest(live, 'm', 100);
  let calls = 0;
  // A checkpoint that grows by 20 kB after the plan: more than the room kept for the header.
  const source = durableSource(() => (calls++ === 0 ? 'short' : 'x'.repeat(20_000)));
  const path = target();
  await writeStreamedSnapshot(path, live.models, [source], fileSystemIo);
  const report = restoreSnapshot(readFileSync(path), (await state()).models);
  assert.deepEqual(report.failures, []);
  assert.equal(report.sources!.files, 'x'.repeat(20_000));
  assert.ok(calls >= 3, 'planned, outgrown, planned and written again');
});

test('at start the file is checked and read ring by ring: the same restore, a flipped byte refused', async () => {
  const live = await state();
  ingest(live, 'm', 300);
  ingest(live, 'c', 200);
  const path = target();
  await writeStreamedSnapshot(path, live.models, [], fileSystemIo);
  const dir = dirname(path);

  const restored = await state();
  assert.deepEqual(restoreFromStorage(dir, restored.models).restored, ['m', 'c']);
  assert.deepEqual(counted(restored, 'm'), [300, 300]);
  assert.deepEqual(counted(restored, 'c'), [200, 200]);

  const file = readFileSync(path);
  const { payload } = openSnapshotFile(path, file.byteLength);
  const first = payload.subarray(0, 16);
  const second = payload.subarray(16, 32);
  assert.equal(first.buffer, second.buffer, 'one buffer, reused for each ring read');

  file[file.byteLength - 100] ^= 1; // in the last ring, past the header
  writeFileSync(path, file);
  const report = restoreFromStorage(dir, (await state()).models);
  assert.deepEqual(report.restored, []);
  assert.equal(report.failures[0].reason, 'corrupt');
  assert.match(report.failures[0].message, /sha256/);
});
