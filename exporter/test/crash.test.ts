// The promise of RELIABILITY.md, tested on the real process: after kill -9 at any moment, at most
// one snapshot interval of acknowledged records is lost and nothing is counted twice; after
// SIGTERM nothing acknowledged is lost at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSnapshot } from '../src/snapshot/format.ts';
import { SNAPSHOT_FILE } from '../src/snapshot/restore.ts';
import { waitFor } from '../../testkit/index.ts';
import {
  metricValue,
  records,
  startExporterProcess,
  WINDOW_RECORDS,
  writeConfig,
  type ExporterProcess,
} from './helpers/snapshot-process.ts';

const INTERVAL_MS = 1000;
const BATCH = 50;
/** Timer and event-loop lag allowed on top of the interval (2 busy cores running both sides). */
const SLACK_MS = 750;

interface Batch {
  sentMs: number;
  /** When the 200 answer arrived; undefined while in flight or when refused. */
  ackMs?: number;
}

/** Posts batches of BATCH records from `workers` loops until `stop` is set; never throws. */
function ingest(url: string, workers: number) {
  const batches: Batch[] = [];
  let stopped = false;
  const loop = async (worker: number) => {
    while (!stopped) {
      const batch: Batch = { sentMs: Date.now() };
      batches.push(batch);
      try {
        const response = await fetch(`${url}/api/v1/records`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(records(BATCH, batches.length + worker)),
        });
        const body = (await response.json()) as { accepted: number };
        if (response.status === 200 && body.accepted === BATCH) batch.ackMs = Date.now();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20)); // the exporter is gone or closing
      }
    }
  };
  const running = Promise.all(Array.from({ length: workers }, (_, i) => loop(i)));
  return {
    batches,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

test('kill -9 at random moments loses at most one snapshot interval and counts nothing twice', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-crash-'));
  const config = writeConfig(dir);
  const storage = join(dir, 'storage');
  const flags = [`--storage.snapshot-interval=${INTERVAL_MS}ms`];
  let exporter: ExporterProcess | undefined;
  t.after(() => exporter?.child.kill('SIGKILL'));

  let base = 0; // records in the windows when this round started (restored from the previous one)
  let totalAcked = 0;
  let totalRestored = 0;
  for (let round = 0; round < 3; round++) {
    exporter = await startExporterProcess(config, storage, flags);
    const startedMs = Date.now();
    assert.equal(await metricValue(exporter.url, WINDOW_RECORDS), base, `round ${round}: restored windows`);
    const load = ingest(exporter.url, 2);
    // Records are flowing (an acknowledged batch) and, after the first round, this run has written
    // a snapshot: events, so a slow machine cannot turn a round into one that tests nothing.
    const url = exporter.url;
    await waitFor('an acknowledged batch', async () => (load.batches.some((b) => b.ackMs) ? true : undefined));
    if (round > 0) {
      await waitFor('a snapshot of this run', async () =>
        (await metricValue(url, 'mlmon_snapshot_last_success_timestamp_seconds'))! * 1000 >= startedMs
          ? true
          : undefined,
      );
    }
    // Then a random moment: in round 0 often before the first snapshot, later between two.
    const killAfter = round === 0 ? Math.random() * 600 : Math.random() * 2500;
    await new Promise((resolve) => setTimeout(resolve, killAfter));
    const killMs = Date.now();
    exporter.child.kill('SIGKILL');
    assert.equal((await exporter.exited).signal, 'SIGKILL');
    await load.stop();

    const file = join(storage, SNAPSHOT_FILE);
    const createdMs = existsSync(file) ? decodeSnapshot(readFileSync(file)).header.createdMs : -Infinity;
    const acked = load.batches.filter((b) => b.ackMs !== undefined);
    const ackedRecords = acked.length * BATCH;
    const capturedThisRun = createdMs >= startedMs;
    // Bounds from the capture instant: every batch answered before it is in, none sent after it.
    const lower = capturedThisRun ? acked.filter((b) => b.ackMs! < createdMs).length * BATCH : 0;
    const upper = capturedThisRun ? load.batches.filter((b) => b.sentMs <= createdMs).length * BATCH : 0;

    exporter = await startExporterProcess(config, storage, flags);
    const restored = await metricValue(exporter.url, WINDOW_RECORDS);
    exporter.child.kill('SIGKILL');
    await exporter.exited;
    assert.ok(restored !== undefined);
    const gained = restored - base;
    const lost = ackedRecords - gained;
    const ackedLastInterval = acked.filter((b) => b.ackMs! > killMs - INTERVAL_MS - SLACK_MS).length * BATCH;
    t.diagnostic(
      `round ${round}: killed after ${Math.round(killAfter)} ms; acknowledged ${ackedRecords}, restored ${gained}, ` +
        `lost ${lost} (${capturedThisRun ? `snapshot ${killMs - createdMs} ms before the kill` : 'no snapshot of this run yet'})`,
    );
    assert.ok(gained >= lower && gained <= upper, `round ${round}: ${gained} outside [${lower}, ${upper}]`);
    assert.ok(gained <= ackedRecords + 2 * BATCH, `round ${round}: more restored than acknowledged + in flight`);
    assert.ok(lost <= ackedLastInterval, `round ${round}: lost ${lost} > ${ackedLastInterval} acknowledged lately`);
    if (capturedThisRun) assert.ok(killMs - createdMs <= INTERVAL_MS + SLACK_MS);
    base = restored;
    totalAcked += ackedRecords;
    totalRestored += gained;
  }
  t.diagnostic(`all rounds: acknowledged ${totalAcked}, restored ${totalRestored}`);
});

test('SIGTERM during ingest: in-flight requests finish, the final snapshot holds every acknowledged record', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-sigterm-'));
  const config = writeConfig(dir);
  const storage = join(dir, 'storage');
  // A long interval: only the final snapshot can hold these records.
  const flags = ['--storage.snapshot-interval=1h'];
  let exporter = await startExporterProcess(config, storage, flags);
  t.after(() => exporter.child.kill('SIGKILL'));
  const load = ingest(exporter.url, 3);
  // Requests in flight: wait until a good number has been acknowledged, not for a fixed time.
  await waitFor('30 acknowledged batches', async () =>
    load.batches.filter((b) => b.ackMs).length >= 30 ? true : undefined,
  );
  const termMs = Date.now();
  exporter.child.kill('SIGTERM');
  const exit = await exporter.exited;
  const exitMs = Date.now() - termMs;
  await load.stop();
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(exitMs < 5000, `exited ${exitMs} ms after SIGTERM`);
  const acked = load.batches.filter((b) => b.ackMs !== undefined).length * BATCH;
  assert.ok(acked > 0);

  exporter = await startExporterProcess(config, storage, flags);
  const restored = await metricValue(exporter.url, WINDOW_RECORDS);
  assert.equal(restored, acked, 'every acknowledged record, once');
  assert.equal(await metricValue(exporter.url, 'mlmon_snapshot_restored{model="m"}'), 1);
  assert.match(exporter.output(), /windows restored from .*: m/);
  t.diagnostic(`SIGTERM: acknowledged ${acked}, restored ${restored}, exit after ${exitMs} ms`);
});
