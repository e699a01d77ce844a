// --storage.path failing under the running exporter: full (ENOSPC), not writable (a file or a
// folder where the snapshot must go), failing fsync; and bad snapshots at start. The exporter stays
// healthy, keeps ingesting, reports each fault as metrics, and recovers by itself.
//
// Tests run as root, so chmod does not make a folder read-only and no file system can be mounted
// here. What is simulated: ENOSPC by an injected write (in process) and by the temporary file being
// a symlink to /dev/full (the kernel's own ENOSPC, in the real process); "not writable" by a
// non-empty folder where the snapshot file goes (rename fails with EISDIR) and by a plain file
// where the --storage.path folder should be (ENOTDIR).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { snapshotCollector } from '../src/snapshot/collect.ts';
import { restoreSnapshot, SNAPSHOT_FILE } from '../src/snapshot/restore.ts';
import { SnapshotScheduler } from '../src/snapshot/scheduler.ts';
import { fileSystemIo, type SnapshotIo } from '../src/snapshot/write.ts';
import { startState } from '../src/startup.ts';
import { waitFor } from '../../testkit/index.ts';
import {
  metricValue,
  records,
  REFERENCE,
  startExporterProcess,
  WINDOW_RECORDS,
  writeConfig,
} from './helpers/snapshot-process.ts';

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

async function inProcess() {
  const config = parseConfig(
    `models:\n  - name: m\n    reference: { path: ${REFERENCE} }\n    features: [{ name: x }, { name: color }]\n`,
    't.yml',
  );
  const { state } = await startState(config);
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-faults-'));
  const fault: { writeFile?: string; syncDir?: string } = {};
  const io: SnapshotIo = {
    ...fileSystemIo,
    async writeFile(path, parts) {
      if (!fault.writeFile) return fileSystemIo.writeFile(path, parts);
      writeFileSync(path, parts[0]); // a partial write, then the disk is full
      throw errno(fault.writeFile);
    },
    async syncDir(path) {
      if (fault.syncDir) throw errno(fault.syncDir);
      return fileSystemIo.syncDir(path);
    },
  };
  const logs: string[] = [];
  const scheduler = new SnapshotScheduler(state, { dir, intervalMs: 1000, io, log: (line) => logs.push(line) });
  state.metrics.register(snapshotCollector(state, scheduler.status));
  const ingest = (n: number) => {
    for (const r of records(n) as { features: Record<string, unknown> }[]) {
      state.models.get('m')!.windows.ingest({ model: 'm', features: r.features }, Date.now());
    }
  };
  return { state, dir, fault, scheduler, logs, ingest };
}

test('a full disk (ENOSPC) fails the snapshot, keeps the previous one whole, and recovers by itself', async () => {
  const { state, dir, fault, scheduler, logs, ingest } = await inProcess();
  ingest(100);
  assert.equal(await scheduler.snapshot(), true);
  ingest(50);
  fault.writeFile = 'ENOSPC';
  for (let i = 0; i < 3; i++) assert.equal(await scheduler.snapshot(), false);
  const metrics = renderMetrics(state);
  assert.match(metrics, /mlmon_snapshot_failures_total\{reason="no_space"\} 3\n/);
  assert.match(metrics, /mlmon_snapshot_failures_total\{reason="not_writable"\} 0\n/);
  assert.equal(logs.length, 1, 'one log line per change of trouble');
  assert.match(logs[0], /snapshot: no_space: cannot write .*ENOSPC/);
  assert.ok(!existsSync(join(dir, `${SNAPSHOT_FILE}.tmp`)), 'the partial temporary file is removed');
  const fresh = (await inProcess()).state;
  assert.deepEqual(restoreSnapshot(readFileSync(join(dir, SNAPSHOT_FILE)), fresh.models).restored, ['m']);
  assert.equal(fresh.models.get('m')!.windows.totals(Date.now())[0].counts[0], 100, 'the previous snapshot, whole');

  fault.writeFile = undefined;
  const before = scheduler.status.lastSuccessMs;
  assert.equal(await scheduler.snapshot(), true);
  assert.ok(scheduler.status.lastSuccessMs > before);
  assert.match(logs[1], /snapshot: written again/);
});

test('a failing fsync of the folder and an unwritable path are counted by reason', async () => {
  const { state, fault, scheduler } = await inProcess();
  fault.syncDir = 'EIO';
  assert.equal(await scheduler.snapshot(), false);
  fault.syncDir = undefined;
  fault.writeFile = 'EROFS';
  assert.equal(await scheduler.snapshot(), false);
  const metrics = renderMetrics(state);
  assert.match(metrics, /mlmon_snapshot_failures_total\{reason="io"\} 1\n/);
  assert.match(metrics, /mlmon_snapshot_failures_total\{reason="not_writable"\} 1\n/);
});

test('the real process: storage full, in the way, or gone; stays healthy, reports, recovers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-faults-'));
  const storage = join(dir, 'storage');
  const exporter = await startExporterProcess(writeConfig(dir), storage, ['--storage.snapshot-interval=200ms']);
  t.after(() => exporter.child.kill('SIGKILL'));
  const url = exporter.url;
  const target = join(storage, SNAPSHOT_FILE);
  const failures = async (reason: string) =>
    (await metricValue(url, `mlmon_snapshot_failures_total{reason="${reason}"}`))!;
  const lastSuccess = async () => (await metricValue(url, 'mlmon_snapshot_last_success_timestamp_seconds'))!;
  const healthyAndIngesting = async () => {
    assert.equal((await fetch(`${url}/-/healthy`)).status, 200);
    const answer = await fetch(`${url}/api/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(records(10)),
    });
    assert.equal(answer.status, 200);
  };
  const recovers = async (what: string) => {
    const since = Date.now() / 1000;
    await waitFor(`a snapshot after ${what}`, async () => ((await lastSuccess()) > since ? true : undefined), 10_000);
  };
  await recovers('start');

  // Full: the temporary file is the kernel's /dev/full, every write to it fails with ENOSPC.
  await waitFor('the symlink to /dev/full', async () => {
    symlinkSync('/dev/full', `${target}.tmp`);
    return true;
  });
  await waitFor('a no_space failure', async () => ((await failures('no_space')) >= 1 ? true : undefined), 10_000);
  await healthyAndIngesting();
  await recovers('ENOSPC'); // the exporter removed its temporary file: the next write goes to disk

  // In the way: a non-empty folder where the snapshot must be renamed to (again if a snapshot
  // landed between the removal and the mkdir).
  await waitFor('the folder in the way', async () => {
    rmSync(target, { force: true });
    mkdirSync(join(target, 'in-the-way'), { recursive: true });
    return true;
  });
  const notWritable = await failures('not_writable');
  await waitFor('not_writable failures', async () =>
    (await failures('not_writable')) >= notWritable + 3 ? true : undefined,
  );
  await healthyAndIngesting();
  const stalled = await lastSuccess();
  rmSync(target, { recursive: true });
  await recovers('the folder in the way was removed');
  assert.ok((await lastSuccess()) > stalled);

  // Gone: a plain file where the storage folder was; then the folder comes back (created by the exporter).
  renameSync(storage, `${storage}.moved`);
  writeFileSync(storage, 'not a folder');
  const before = await failures('not_writable');
  await waitFor('ENOTDIR failures', async () => ((await failures('not_writable')) >= before + 3 ? true : undefined));
  await healthyAndIngesting();
  rmSync(storage);
  await recovers('the file was removed');
  assert.ok(existsSync(target));
  assert.match(exporter.output(), /snapshot: no_space: cannot write/);
  assert.match(exporter.output(), /snapshot: not_writable: cannot write/);
  assert.match(exporter.output(), /snapshot: written again/);
  assert.equal(await failures('io'), 0);
});

test('corrupt and foreign snapshots at start: the exporter starts with empty windows and says why', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-faults-'));
  const storage = join(dir, 'storage');
  mkdirSync(storage);
  const config = writeConfig(dir);
  writeFileSync(
    join(storage, SNAPSHOT_FILE),
    '{"not": "a snapshot", "but": "a file of the right name, long enough for a preamble"}',
  );
  const corrupt = await startExporterProcess(config, storage, ['--storage.snapshot-interval=1h']);
  t.after(() => corrupt.child.kill('SIGKILL'));
  assert.equal(await metricValue(corrupt.url, 'mlmon_snapshot_restore_failures_total{reason="corrupt"}'), 1);
  assert.equal(await metricValue(corrupt.url, 'mlmon_snapshot_restored{model="m"}'), 0);
  assert.equal(await metricValue(corrupt.url, WINDOW_RECORDS), 0);
  assert.match(corrupt.output(), /not restored \(corrupt\): not an mlmon snapshot \(bad magic\); starting empty/);
  // Records, then SIGTERM: a good snapshot of model m with this reference.
  await fetch(`${corrupt.url}/api/v1/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(records(30)),
  });
  corrupt.child.kill('SIGTERM');
  assert.equal((await corrupt.exited).code, 0);

  // The same model name over another reference: the snapshot is foreign.
  const other = join(dir, 'other-reference.csv');
  writeFileSync(other, readFileSync(REFERENCE, 'utf8').trim().split('\n').slice(0, -40).join('\n'));
  const foreign = await startExporterProcess(writeConfig(dir, other), storage, ['--storage.snapshot-interval=1h']);
  t.after(() => foreign.child.kill('SIGKILL'));
  assert.equal(await metricValue(foreign.url, 'mlmon_snapshot_restore_failures_total{reason="foreign"}'), 1);
  assert.equal(await metricValue(foreign.url, WINDOW_RECORDS), 0);
  assert.match(foreign.output(), /not restored \(foreign\): model m: written for reference \w+/);
  assert.equal((await fetch(`${foreign.url}/-/ready`)).status, 200);
});
