// Wasserstein from the fine CDF on heavy tails (issue 12): a lognormal sample and flight-delay-like
// data, from a saved profile (CLI) and from the exporter's window, within 5 % of scipy's exact
// distance, which lies inside the exported interval. Golden: fixtures/make_tails_fixture.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTable } from '../src/io/read-table.ts';
import { buildProfile, DEFAULT_SETTINGS } from '../src/profile/build.ts';
import { compareFeature } from '../src/report/compare.ts';
import { driftOptions } from '../src/report/drift-options.ts';
import { currentFromWindow } from '../src/report/from-window.ts';
import { ModelWindows } from '../src/window/model-windows.ts';
import { FIXTURES } from './helpers/golden.ts';

const MLMON = fileURLToPath(new URL('../scripts/dev-mlmon.mjs', import.meta.url));
const golden = JSON.parse(readFileSync(`${FIXTURES}tails-golden.json`, 'utf8')) as Record<
  string,
  { wasserstein: number; wasserstein_normalized: number }
>;
const tmp = mkdtempSync(join(tmpdir(), 'mlmon-tails-'));
const table = await readTable(`${FIXTURES}tails.csv`, 'csv');
const column = (name: string) => (table.columns.get(name) as string[]).map(Number);

function writeColumn(name: string): string {
  const path = join(tmp, `${name}.csv`);
  writeFileSync(path, 'v\n' + column(name).join('\n') + '\n');
  return path;
}

for (const sample of ['lognormal', 'delay']) {
  const expected = golden[sample];

  test(`${sample}: Wasserstein from a saved profile is within 5 % of scipy's, inside its interval`, () => {
    const profile = join(tmp, `${sample}.json`);
    const made = spawnSync(process.execPath, [
      MLMON,
      'profile',
      '--reference',
      writeColumn(`${sample}_ref`),
      '--out',
      profile,
    ]);
    assert.equal(made.status, 0, String(made.stderr));
    const run = spawnSync(
      process.execPath,
      [MLMON, 'drift', '--reference', profile, '--current', writeColumn(`${sample}_cur`), '--json'],
      { encoding: 'utf8' },
    );
    const v = (JSON.parse(run.stdout) as { features: Record<string, Record<string, number>> }).features.v;
    assert.ok(Math.abs(v.wasserstein_normalized / expected.wasserstein_normalized - 1) < 0.05, JSON.stringify(v));
    assert.ok(v.wasserstein <= expected.wasserstein + 1e-9, 'the estimate is the lower end');
    assert.ok(expected.wasserstein <= v.wasserstein + v.wasserstein_error_bound + 1e-9, 'inside the interval');
  });

  test(`${sample}: Wasserstein from the exporter's window is within 5 % of scipy's`, () => {
    const ref = { columns: new Map([['v', column(`${sample}_ref`)]]), rowCount: 8000 };
    const profile = buildProfile(ref, [{ name: 'v', type: 'numeric' }], DEFAULT_SETTINGS);
    const state = new ModelWindows('m', profile, { windowsMs: [3_600_000], slices: 60, futureToleranceMs: 0 });
    const now = Date.now();
    for (const value of column(`${sample}_cur`)) state.ingest({ model: 'm', features: { v: value } }, now);
    const [totals] = state.totals(now);
    const current = currentFromWindow(state.layout.features[0], totals);
    const report = compareFeature(profile.features.v, current, driftOptions(), undefined, 'limit');
    assert.ok(
      Math.abs(report.wasserstein_normalized! / expected.wasserstein_normalized - 1) < 0.05,
      JSON.stringify(report),
    );
  });
}
