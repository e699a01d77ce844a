// The embedded demo: before the drift every feature is stable (PSI ≤ 0.1); after it credit_score
// alone is past 0.2, with enough records per window to pass min_samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../src/serve.ts';
import { compareFeature } from '../src/report/compare.ts';
import { currentFromValues } from '../src/report/current-from-values.ts';
import { driftOptions } from '../src/report/drift-options.ts';
import { DEMO_MODEL, demoRow } from '../src/sources/demo-traffic.ts';
import { featureStatus } from '../src/stats/feature-status.ts';
import { startState } from '../src/startup.ts';
import { Random } from '../src/util/random.ts';

async function demoProfile() {
  const { state } = await startState(DEFAULT_CONFIG);
  return state.models.get(DEMO_MODEL)!.windows.profile;
}

function psiOfTraffic(profile: Awaited<ReturnType<typeof demoProfile>>, drifted: boolean, rows: number) {
  const random = new Random(7);
  const data = Array.from({ length: rows }, () => demoRow(random, drifted));
  const result: Record<string, number> = {};
  for (const [name, feature] of Object.entries(profile.features)) {
    const values = data.map((row) => row[name as keyof typeof row]);
    result[name] = compareFeature(feature, currentFromValues(feature, values), driftOptions()).psi!;
  }
  return result;
}

test('the demo runs by default with a mix of numeric and categorical features', async () => {
  const profile = await demoProfile();
  const types = Object.values(profile.features).map((f) => f.type);
  assert.ok(types.includes('numeric') && types.includes('categorical'));
  assert.equal(DEFAULT_CONFIG.demo?.enabled, true);
});

test('before the drift every feature stays at or below PSI 0.1', async () => {
  // One 5-minute window at the default 200 records/s holds 60,000 records.
  const psi = psiOfTraffic(await demoProfile(), false, 60_000);
  for (const [name, value] of Object.entries(psi)) assert.ok(value <= 0.1, `${name} PSI ${value}`);
});

test('after the drift credit_score is past 0.2 and the others stay at or below 0.1', async () => {
  const psi = psiOfTraffic(await demoProfile(), true, 60_000);
  assert.ok(psi.credit_score > 0.2, `credit_score PSI ${psi.credit_score}`);
  for (const [name, value] of Object.entries(psi))
    if (name !== 'credit_score') assert.ok(value <= 0.1, `${name} ${value}`);
});

test('ten seconds of demo traffic give every feature a status: none is left at insufficient_data', async () => {
  const { state } = await startState(DEFAULT_CONFIG);
  const entry = state.models.get(DEMO_MODEL)!;
  const rows = DEFAULT_CONFIG.demo!.records_per_second * 10;
  const random = new Random(11);
  const data = Array.from({ length: rows }, () => demoRow(random, false));
  for (const [name, feature] of Object.entries(entry.windows.profile.features)) {
    const values = data.map((row) => row[name as keyof typeof row]);
    const psi = compareFeature(feature, currentFromValues(feature, values), entry.drift).psi;
    assert.notEqual(featureStatus(psi, rows, entry.drift), 'insufficient_data', `${name} after 10 s (${rows} records)`);
  }
});
