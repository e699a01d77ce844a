// Calibrated thresholds on autocorrelated traffic: the values of a minute share a state that
// wanders (an AR(1) offset of the mean), so a window of n values varies more than n independent
// ones. A fixed KS p-value threshold alarms on most quiet windows; a calibrated one that knows
// only the window's size still alarms far too often; with the latent variation estimated from a
// timestamped reference it alarms at about the configured rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../../testkit/index.ts';
import { Random } from '../src/util/random.ts';
import { driftFlagsAtWindowEnds, modelsOf, share, writeTimedCsv, type TimedRow } from './helpers/quiet-windows.ts';

const MINUTE = 60_000;
const RATE = 0.05;

function traffic(random: Random, from: number, minutes: number, perMinute: number): TimedRow[] {
  const rows: TimedRow[] = [];
  const rho = 0.9;
  let offset = 0;
  for (let m = 0; m < minutes; m++) {
    offset = rho * offset + Math.sqrt(1 - rho * rho) * random.normal(0, 0.25);
    for (let i = 0; i < perMinute; i++) {
      rows.push({
        ts: from + m * MINUTE + Math.floor((i * MINUTE) / perMinute),
        features: { x: random.normal(offset) },
      });
    }
  }
  return rows;
}

test('KS p-values on autocorrelated quiet traffic: fixed, calibrated on size alone, calibrated with the latent variation of a timed reference', async () => {
  const dir = tempDir('mlmon-autocorrelated-');
  const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 200 * 3_600_000;
  const random = new Random(11);
  const reference = writeTimedCsv(dir, 'reference.csv', traffic(random, start, 3000, 100));
  const calibrated = `{ statistic: ${'$'}S, calibration: false_alarm_rate, false_alarm_rate: ${RATE}, correction: none }`;
  const model = (name: string, ref: string, drift: string) =>
    `  - name: ${name}\n    reference: ${ref}\n    windows: [10m]\n    min_samples: 500\n    drift: ${drift}\n`;
  const timed = `{ path: ${reference}, timestamp: ts }`;
  const untimed = `{ path: ${reference}, format: csv }`;
  const state = await modelsOf(
    'models:\n' +
      model('ks_fixed', untimed, '{ statistic: ks_pvalue, threshold: 0.05 }') +
      model('ks_size_only', untimed, calibrated.replace('$S', 'ks_pvalue')) +
      model('ks_latent', timed, calibrated.replace('$S', 'ks_pvalue')) +
      model('psi_latent', timed, calibrated.replace('$S', 'psi')) +
      model('wasserstein_latent', timed, calibrated.replace('$S', 'wasserstein_normalized')),
  );
  const flags = driftFlagsAtWindowEnds(
    state,
    traffic(random, start + 3000 * MINUTE, 3000, 100),
    10 * MINUTE,
    '10m',
    'x',
  );
  const rates = Object.fromEntries([...flags].map(([name, list]) => [name, share(list)]));
  assert.ok(flags.get('ks_fixed')!.length >= 290, `${flags.get('ks_fixed')!.length} windows`);
  assert.ok(rates.ks_fixed > 0.4, `fixed p < 0.05: ${rates.ks_fixed}`);
  assert.ok(rates.ks_size_only > 3 * RATE, `calibrated on the window's size alone: ${rates.ks_size_only}`);
  for (const name of ['ks_latent', 'psi_latent', 'wasserstein_latent']) {
    assert.ok(rates[name] >= RATE / 2 && rates[name] <= RATE * 1.5, `${name}: ${rates[name]} vs ${RATE}`);
  }
});
