// Seasonal references: traffic with a daily cycle compared with the reference rows of the same
// hours stays quiet where the whole reference alarms, and a shift still shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../../testkit/index.ts';
import { Random } from '../src/util/random.ts';
import { modelFamiliesAt } from '../src/backfill/backfill.ts';
import { driftFlagsAtWindowEnds, modelsOf, share, writeTimedCsv, type TimedRow } from './helpers/quiet-windows.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** x follows a daily cycle of ±1σ; `shift` adds to it from `shiftFrom` on. */
function traffic(random: Random, from: number, hours: number, perHour: number, shift = 0, shiftFrom = Infinity) {
  const rows: TimedRow[] = [];
  for (let i = 0; i < hours * perHour; i++) {
    const ts = from + Math.floor((i * HOUR) / perHour);
    const cycle = Math.sin((2 * Math.PI * (ts % DAY)) / DAY);
    rows.push({ ts, features: { x: random.normal(cycle + (ts >= shiftFrom ? shift : 0)) } });
  }
  return rows;
}

async function setup() {
  const dir = tempDir('mlmon-season-');
  const today = Math.floor(Date.now() / DAY) * DAY;
  const random = new Random(7);
  const reference = writeTimedCsv(dir, 'reference.csv', traffic(random, today - 8 * DAY, 4 * 24, 300));
  const model = (name: string, reference_: string) =>
    `  - name: ${name}\n    reference: ${reference_}\n    windows: [1h]\n    min_samples: 500\n` +
    `    drift: { calibration: false_alarm_rate, false_alarm_rate: 0.01, correction: none }\n`;
  const state = await modelsOf(
    'models:\n' +
      model('static', `{ path: ${reference} }`) +
      model('seasonal', `{ path: ${reference}, timestamp: ts, season: hour_of_day }`),
  );
  return { state, today, random };
}

test('under a daily cycle the hour-of-day reference stays quiet where the static one alarms', async () => {
  const { state, today, random } = await setup();
  const flags = driftFlagsAtWindowEnds(state, traffic(random, today - 3 * DAY, 48, 2000), HOUR, '1h', 'x');
  const quiet = { static: share(flags.get('static')!), seasonal: share(flags.get('seasonal')!) };
  assert.ok(flags.get('seasonal')!.length >= 46, `${flags.get('seasonal')!.length} windows`);
  assert.ok(quiet.static > 0.5, `static reference alarmed on ${quiet.static} of the windows`);
  assert.ok(quiet.seasonal <= 1 / 46, `seasonal reference alarmed on ${quiet.seasonal} of the windows`);
  const info = modelFamiliesAt(state, today);
  assert.match(info, /^mlmon_reference_info\{model="seasonal",reference_hash="\w+",kind="hour_of_day"\} 1$/m);
  assert.match(info, /^mlmon_reference_info\{model="static",reference_hash="\w+",kind="static"\} 1$/m);
});

test('a 0.5σ shift shows against the hour-of-day reference in the first full window', async () => {
  const { state, today, random } = await setup();
  const shiftFrom = today - 3 * DAY + 12 * HOUR;
  const flags = driftFlagsAtWindowEnds(
    state,
    traffic(random, today - 3 * DAY, 16, 2000, 0.5, shiftFrom),
    HOUR,
    '1h',
    'x',
  );
  // Window k ends at hour k + 1: the shift starts at hour 12, so window 12 is the first shifted one.
  const seasonal = flags.get('seasonal')!;
  assert.ok(share(seasonal.slice(0, 12)) <= 1 / 12, `before the shift: ${seasonal.slice(0, 12)}`);
  assert.equal(seasonal[12], true, 'drift in the first shifted window');
});
