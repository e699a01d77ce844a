// The calibrated threshold end to end: records pushed over HTTP to the exporter's server, scraped
// by a real Prometheus, and the threshold and drift flag queried back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startExporter, postRecords, type RunningExporter } from './helpers/exporter.ts';
import { assertClose, startPrometheus, tempDir, waitFor, type RunningPrometheus } from '../../testkit/index.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { queryOne } from './helpers/prometheus-query.ts';
import { driftGolden, FIXTURES } from './helpers/golden.ts';
import { parseConfig } from '../src/config/load.ts';
import { buildModels } from '../src/startup.ts';

/** A timestamped reference for the seasonal model: x and color with a time per row. */
const seasonalDir = tempDir('mlmon-seasonal-reference-');
const seasonalReference = join(seasonalDir, 'reference.csv');
writeFileSync(
  seasonalReference,
  'ts,x,color\n' +
    Array.from(
      { length: 2000 },
      (_, i) => `${Date.now() - 7 * 86_400_000 + i * 300_000},${(i * 7919) % 1000},c${i % 3}`,
    ).join('\n') +
    '\n',
);

const CONFIG = `
models:
  - name: seasonal
    reference: { path: ${seasonalReference}, timestamp: ts, season: hour_of_week }
    windows: [1h]
    drift: { calibration: false_alarm_rate }
  - name: fixed
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: color, type: categorical }]
    windows: [1h]
    min_samples: 1000
  - name: calibrated
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: color, type: categorical }]
    windows: [1h]
    min_samples: 1000
    drift: { calibration: false_alarm_rate, false_alarm_rate: 0.01, correction: sidak }
`;

let exporter: RunningExporter;
let prometheus: RunningPrometheus;

before(async () => {
  exporter = await startExporter(CONFIG);
  for (const model of ['fixed', 'calibrated']) {
    const ndjson = driftGolden.current_records.map((features) => JSON.stringify({ model, features })).join('\n');
    const answer = await postRecords(exporter.url, ndjson, 'application/x-ndjson');
    assert.equal(answer.status, 200);
  }
  prometheus = await startPrometheus({ jobs: [{ name: 'mlmon', targets: [`127.0.0.1:${exporter.port}`] }] });
});

after(async () => {
  await prometheus?.stop();
  await exporter?.stop();
});

const queried = (expr: string) => queryOne(prometheus, expr);

test('mlmon_reference_info says which reference each model compares its windows with', async () => {
  assert.equal(await queried('mlmon_reference_info{model="seasonal",kind="hour_of_week"}'), 1);
  assert.equal(await queried('mlmon_reference_info{model="fixed",kind="static"}'), 1);
});

test('a fixed model exports its configured threshold', async () => {
  assert.equal(await queried('mlmon_feature_drift_threshold{model="fixed",feature="x",window="1h"}'), 0.2);
});

for (const feature of ['x', 'color']) {
  test(`the calibrated threshold of ${feature} is the simulation's for the window's size, and decides drift`, async () => {
    const selector = `{model="calibrated",feature="${feature}",window="1h"}`;
    const n = await queried(`mlmon_feature_samples${selector}`);
    // The same simulation in this process, run in line (a runner-less model, as a backfill's).
    const config = parseConfig(CONFIG);
    const entry = (await buildModels(config, undefined, null)).get('calibrated')!;
    const slot = entry.windows.layout.features.find((s) => s.name === feature)!;
    const expected = entry.thresholds!.threshold(slot.profile, n, { count: slot.profile.count });
    // The exporter simulates in the background: until its exact size bucket is done a scrape
    // may show the nearest bucket's rescaled threshold, so wait for the exact one.
    const threshold = await waitFor(`${feature} threshold ${expected}`, async () => {
      const value = await queried(`mlmon_feature_drift_threshold${selector}`);
      return Math.abs(value - (expected as number)) <= 1e-12 * Math.abs(value) ? value : undefined;
    });
    assertClose(threshold, expected as number, `${feature} threshold`, 1e-12);
    // A few thousand values against a reference of thousands: far below the fixed 0.2.
    assert.ok(threshold > 0 && threshold < 0.2, `threshold ${threshold}`);
    const psi = await queried(`mlmon_feature_psi${selector}`);
    const drifted = await queried(`mlmon_feature_drift_detected${selector}`);
    assert.equal(drifted, psi > threshold ? 1 : 0, `psi ${psi} vs threshold ${threshold}`);
  });
}
