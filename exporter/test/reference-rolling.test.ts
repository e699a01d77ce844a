// Rolling references: each window compared with the same window one period earlier, from the
// exporter's own history, which a snapshot keeps across a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '../../testkit/index.ts';
import { modelFamiliesAt } from '../src/backfill/backfill.ts';
import { SnapshotScheduler } from '../src/snapshot/scheduler.ts';
import { restoreSnapshot, SNAPSHOT_FILE } from '../src/snapshot/restore.ts';
import { Random } from '../src/util/random.ts';
import { driftFlagsAtWindowEnds, modelsOf, share, type TimedRow } from './helpers/quiet-windows.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** x follows a daily cycle of ±1σ. */
function traffic(random: Random, from: number, hours: number, perHour: number): TimedRow[] {
  return Array.from({ length: hours * perHour }, (_, i) => {
    const ts = from + Math.floor((i * HOUR) / perHour);
    return { ts, features: { x: random.normal(Math.sin((2 * Math.PI * (ts % DAY)) / DAY)) } };
  });
}

async function setup() {
  const dir = tempDir('mlmon-rolling-');
  const random = new Random(3);
  const reference = join(dir, 'reference.csv');
  writeFileSync(reference, `x\n${Array.from({ length: 5000 }, () => random.normal().toFixed(4)).join('\n')}\n`);
  const model = (name: string, ref: string) =>
    `  - name: ${name}\n    reference: ${ref}\n    windows: [1h]\n    min_samples: 500\n` +
    `    drift: { calibration: false_alarm_rate, false_alarm_rate: 0.01, correction: none }\n`;
  const config =
    'models:\n' + model('static', `{ path: ${reference} }`) + model('rolling', `{ path: ${reference}, rolling: 1d }`);
  return { config, random, start: Math.floor(Date.now() / DAY) * DAY - 4 * DAY };
}

test("under a daily cycle, yesterday's same hour stays quiet where the static reference alarms", async () => {
  const { config, random, start } = await setup();
  const state = await modelsOf(config);
  const flags = driftFlagsAtWindowEnds(state, traffic(random, start, 72, 2000), HOUR, '1h', 'x');
  // Window k ends at hour k + 1: from window 24 on, the same window a day earlier is in the history.
  const afterADay = { static: share(flags.get('static')!.slice(24)), rolling: share(flags.get('rolling')!.slice(24)) };
  assert.equal(flags.get('rolling')!.length, 71);
  assert.ok(afterADay.static > 0.5, `static: ${afterADay.static}`);
  assert.ok(afterADay.rolling <= 1 / 47, `rolling: ${afterADay.rolling}`);
  assert.match(
    modelFamiliesAt(state, start),
    /^mlmon_reference_info\{model="rolling",reference_hash="\w+",kind="rolling"\} 1$/m,
  );
});

test('the history behind a rolling reference survives a snapshot and restore', async () => {
  const { config, random, start } = await setup();
  const before = await modelsOf(config);
  const rows = traffic(random, start, 30, 1000);
  for (const row of rows)
    before.models.get('rolling')!.record({ model: 'rolling', features: row.features, timestampMs: row.ts }, row.ts);
  const now = rows[rows.length - 1].ts;
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-rolling-snap-'));
  assert.equal(await new SnapshotScheduler(before, { dir, intervalMs: 1000 }).snapshot(), true);

  const after = await modelsOf(config);
  const report = restoreSnapshot(readFileSync(join(dir, SNAPSHOT_FILE)), after.models, now);
  assert.deepEqual(report.restored, ['static', 'rolling']);
  const psi = (text: string) => /^mlmon_feature_psi\{model="rolling",feature="x",window="1h"\} (\S+)$/m.exec(text)?.[1];
  const [was, is] = [psi(modelFamiliesAt(before, now)), psi(modelFamiliesAt(after, now))];
  assert.ok(was !== undefined && Number(was) < 0.05, `PSI against yesterday's hour: ${was}`);
  assert.equal(is, was, 'the same comparison after the restore');
});
