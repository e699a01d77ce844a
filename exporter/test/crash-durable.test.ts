// The durable-source promise: a file source under kill -9 loses nothing and counts nothing twice.
// Its positions are checkpointed inside each snapshot, so after a crash the windows and the file
// positions come back from the same instant and the rows read since are read again, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor, waitForChanges } from '../../testkit/index.ts';
import { metricValue, startExporterProcess, WINDOW_RECORDS, writeConfig } from './helpers/snapshot-process.ts';

const rows = (from: number, count: number) =>
  Array.from(
    { length: count },
    (_, i) => JSON.stringify({ x: ((from + i) % 50) / 10, color: 'red', level: 1 }) + '\n',
  ).join('');

test('kill -9 while a file is being tailed: after restart the window holds every row exactly once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-durable-'));
  const log = join(dir, 'inference.jsonl');
  writeFileSync(log, rows(0, 2000));
  const config = writeConfig(
    dir,
    undefined,
    `sources:\n  - { type: file, name: log, model: m, path: ${log}, interval: 100ms }\n`,
  );
  const storage = join(dir, 'data');
  const flags = ['--storage.snapshot-interval=1s'];
  const first = await startExporterProcess(config, storage, flags);
  t.after(() => first.child.kill('SIGKILL'));
  await waitFor('the first 2000 rows', async () =>
    (await metricValue(first.url, WINDOW_RECORDS)) === 2000 ? true : undefined,
  );
  // Keep appending while snapshots come and go, then kill at a moment no snapshot chose.
  let written = 2000;
  const deadline = Date.now() + 2500 + Math.random() * 1500;
  while (Date.now() < deadline) {
    appendFileSync(log, rows(written, 100));
    written += 100;
    await new Promise((r) => setTimeout(r, 50));
  }
  first.child.kill('SIGKILL');
  await first.exited;

  const second = await startExporterProcess(config, storage, flags);
  t.after(() => second.child.kill('SIGKILL'));
  await waitFor(
    `all ${written} rows counted again`,
    async () => ((await metricValue(second.url, WINDOW_RECORDS)) === written ? true : undefined),
    20_000,
  );
  // Two more reads (each moves the source's last-success time) must not count anything twice.
  await waitForChanges('two more reads of the log', () =>
    metricValue(second.url, 'mlmon_source_last_success_timestamp_seconds{source="log"}'),
  );
  assert.equal(await metricValue(second.url, WINDOW_RECORDS), written);
  assert.match(second.output(), /windows restored from/);
});
