// Calibration simulations run off the scrape path: a scrape right after a calibrated model loads
// shows no threshold and no drift flag from a guess, and the simulated thresholds once the
// background runner is done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backgroundRunner } from '../src/calibration/background-runner.ts';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { Exporter } from '../src/exporter.ts';
import { buildModels } from '../src/startup.ts';
import { driftGolden, FIXTURES } from './helpers/golden.ts';

const CONFIG = `
models:
  - name: k
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }]
    windows: [1h]
    min_samples: 1000
    drift: { calibration: false_alarm_rate, false_alarm_rate: 0.001, statistic: ks_pvalue }
`;

test('a first scrape does not wait for simulations: no threshold until they are done, then the simulated one', async () => {
  const state = new Exporter();
  for (const [name, entry] of await buildModels(parseConfig(CONFIG))) state.models.set(name, entry);
  const entry = state.models.get('k')!;
  const now = Date.now();
  for (const features of driftGolden.current_records) entry.record({ model: 'k', features }, now);
  const threshold = /^mlmon_feature_drift_threshold\{model="k",feature="x",window="1h"\} (\S+)$/m;

  assert.ok(backgroundRunner.pending > 0, 'simulations queued at load');
  const first = renderMetrics(state, now);
  assert.doesNotMatch(first, threshold, 'no threshold while pending');
  assert.match(first, /^mlmon_feature_drift_detected\{model="k",feature="x",window="1h"\} 0$/m);
  assert.match(first, /^mlmon_feature_ks_pvalue\{model="k",feature="x",window="1h"\} /m, 'statistics are shown');

  await backgroundRunner.idle();
  const later = renderMetrics(state, now);
  const value = Number(threshold.exec(later)?.[1]);
  assert.ok(value > 0 && value < 0.05, `calibrated p-value threshold ${value}`);
});
