// Snapshot cost: size, duration and event-loop blocking of a snapshot of 10 models × 50 numeric
// features (windows 1h and 24h, 60 slices each, every slice filled), and the restore at start.
//   node --import tsx bench/snapshot.mjs [--models 10] [--features 50] [--runs 5]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseConfig } from '../exporter/src/config/load.ts';
import { captureSnapshot } from '../exporter/src/snapshot/capture.ts';
import { restoreSnapshot, SNAPSHOT_FILE } from '../exporter/src/snapshot/restore.ts';
import { SnapshotScheduler } from '../exporter/src/snapshot/scheduler.ts';
import { startState } from '../exporter/src/startup.ts';
import { makeRow, median, rowGenerator, writeCsv } from './lib/synthetic.mjs';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '10' },
    features: { type: 'string', default: '50' },
    runs: { type: 'string', default: '5' },
  },
});
const MODELS = Number(values.models);
const FEATURES = Number(values.features);
const RUNS = Number(values.runs);

mkdirSync('bench/out', { recursive: true });
const reference = 'bench/out/snapshot-reference.csv';
await writeCsv(reference, 5_000, FEATURES, 0, 11);
const yaml = `models:\n${Array.from(
  { length: MODELS },
  (_, i) => `  - name: model-${i}\n    reference: { path: ${reference} }\n    windows: [1h, 24h]\n`,
).join('')}`;
const config = parseConfig(yaml, 'snapshot.yml');
const { state } = await startState(config);

// Every slice of both windows holds counts: one record per 10 minutes' slice of 24 h and per minute of 1 h.
const random = rowGenerator(3);
const now = Date.now();
for (const entry of state.models.values()) {
  for (let t = 0; t < 24 * 60; t += 1) {
    entry.windows.ingest({ features: makeRow(random, FEATURES, 0), timestampMs: now - t * 60_000 }, now);
  }
}
const windowBytes = [...state.models.values()].reduce((sum, e) => sum + e.windows.windowBytes, 0);

const dir = mkdtempSync(join(tmpdir(), 'mlmon-bench-snapshot-'));
const scheduler = new SnapshotScheduler(state, { dir, intervalMs: 3_600_000 });
const captures = [];
const totals = [];
const blocked = [];
for (let run = 0; run < RUNS; run++) {
  let started = performance.now();
  captureSnapshot(state.models);
  captures.push(performance.now() - started);
  // The longest gap between the ticks of a 1 ms timer while the snapshot runs: how long the event
  // loop (scrapes, ingest) waits at worst.
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const tick = performance.now();
    longest = Math.max(longest, tick - last);
    last = tick;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  longest = 0;
  started = performance.now();
  if (!(await scheduler.snapshot())) throw new Error('snapshot failed');
  totals.push(performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(ticker);
  blocked.push(longest);
}
const file = readFileSync(join(dir, SNAPSHOT_FILE));
const restores = [];
for (let run = 0; run < RUNS; run++) {
  const fresh = (await startState(config)).state;
  const started = performance.now();
  const report = restoreSnapshot(readFileSync(join(dir, SNAPSHOT_FILE)), fresh.models);
  restores.push(performance.now() - started);
  if (report.restored.length !== MODELS) throw new Error(`restored ${report.restored.length} models`);
}
rmSync(dir, { recursive: true });

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const ms = (list) => `${median(list).toFixed(0)} ms (max ${Math.max(...list).toFixed(0)})`;
const result = {
  models: MODELS,
  features: FEATURES,
  windowBytes,
  fileBytes: file.byteLength,
  captureMs: median(captures),
  snapshotMs: median(totals),
  eventLoopBlockedMaxMs: Math.max(...blocked),
  restoreMs: median(restores),
};
writeFileSync('bench/out/snapshot.json', JSON.stringify(result, null, 2));
console.log(`${MODELS} models × ${FEATURES} numeric features, windows 1h and 24h, 60 slices, every slice filled`);
console.log(`window state in memory     ${mib(windowBytes)}`);
console.log(`snapshot file              ${mib(file.byteLength)}`);
console.log(`capture (synchronous copy) ${ms(captures)}`);
console.log(`snapshot (capture, sha256, write, fsync, rename, fsync dir) ${ms(totals)}`);
console.log(`longest event-loop block during a snapshot ${Math.max(...blocked).toFixed(0)} ms`);
console.log(`restore at start (read, verify, copy) ${ms(restores)}`);
