// `mlmon backfill` as a user runs it (real process, real promtool), and its samples against what
// the exporter's ingest path, fed the same records, shows at the same instants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, tempDir } from '../../testkit/index.ts';
import { loadConfigFile } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { ingestItems } from '../src/server/ingest.ts';
import { startState } from '../src/startup.ts';
import { Random } from '../src/util/random.ts';

const MLMON = fileURLToPath(new URL('../scripts/dev-mlmon.mjs', import.meta.url));
const STEP_MS = 60_000;

/** Two hours of records for each of two models, one every 2 s, shifted by 0.8σ and with a new category after the first hour. */
function fixture() {
  const dir = tempDir('backfill');
  const random = new Random(7);
  const rows = ['x,c'];
  for (let i = 0; i < 4000; i++)
    rows.push(
      `${random.normal().toFixed(4)},${random.pick([
        ['a', 0.5],
        ['b', 0.5],
      ] as const)}`,
    );
  writeFileSync(join(dir, 'reference.csv'), `${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'config.yml'),
    // m with the fixed PSI threshold, k with calibrated ones.
    ['m', 'k']
      .map(
        (name) =>
          `  - name: ${name}\n    reference: { path: reference.csv }\n    windows: [10m, 1h]\n    min_samples: 100\n` +
          (name === 'k' ? '    drift: { calibration: false_alarm_rate, false_alarm_rate: 0.01 }\n' : ''),
      )
      .join('')
      .replace(/^/, 'models:\n'),
  );
  // Whole minutes in the past, so that every step is an instant both sides compute.
  const start = Math.floor((Date.now() - 3 * 3600_000) / STEP_MS) * STEP_MS + 500;
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < 3600; i++) {
    const shifted = i >= 1800;
    const features = { x: random.normal(shifted ? 0.8 : 0), c: shifted && i % 4 === 0 ? 'new' : i % 2 ? 'a' : 'b' };
    const timestamp = new Date(start + i * 2000).toISOString();
    for (const model of ['m', 'k']) records.push({ model, features, timestamp });
  }
  // Two files, interleaved, so the backfill has to merge them by timestamp.
  const lines = records.map((r) => JSON.stringify(r));
  writeFileSync(join(dir, 'even.jsonl'), `${lines.filter((_, i) => i % 2 === 0).join('\n')}\n{"model":"m"}\n`);
  writeFileSync(join(dir, 'odd.jsonl'), `${lines.filter((_, i) => i % 2 === 1).join('\n')}\n`);
  return { dir, records, start };
}

function backfill(dir: string) {
  const output = join(dir, 'history.om');
  const result = spawnSync(
    process.execPath,
    [
      MLMON,
      'backfill',
      '--config',
      join(dir, 'config.yml'),
      '--input',
      join(dir, 'even.jsonl'),
      join(dir, 'odd.jsonl'),
      '--output',
      output,
    ],
    { encoding: 'utf8' },
  );
  return { ...result, text: readFileSync(output, 'utf8') };
}

/** `series value` lines of the OpenMetrics text at one timestamp (seconds), for families `names`. */
function samplesAt(openMetrics: string, seconds: number, names: string[]): string[] {
  return openMetrics
    .split('\n')
    .filter((line) => names.some((name) => line.startsWith(`${name}{`)) && line.endsWith(` ${seconds}`))
    .map((line) => line.slice(0, -` ${seconds}`.length))
    .sort();
}

const COMPARED = [
  'mlmon_feature_psi',
  'mlmon_feature_ks_pvalue',
  'mlmon_feature_drift_detected',
  'mlmon_feature_drift_threshold',
  'mlmon_feature_new_category_ratio',
  'mlmon_feature_bin_ratio',
  'mlmon_model_window_records',
  'mlmon_records_total',
  'mlmon_model_data_age_seconds',
];

test('backfill writes OpenMetrics that promtool turns into blocks holding the same samples', () => {
  const { dir } = fixture();
  const { status, stdout, stderr, text } = backfill(dir);
  assert.equal(status, 0, stderr);
  assert.match(stdout, /7200 records .* 1 skipped, \d+ steps/);
  assert.match(stderr, /even\.jsonl:3601: skipped: features: missing/);
  assert.ok(text.endsWith('# EOF\n'));

  const tsdb = join(dir, 'tsdb');
  const created = run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'history.om'), tsdb]);
  assert.equal(created.status, 0, created.output);
  mkdirSync(join(tsdb, 'wal'), { recursive: true }); // `tsdb dump` opens the folder as a Prometheus data dir
  const series = 'mlmon_feature_psi{model="m",feature="x",window="10m"}';
  const dump = run('promtool', ['tsdb', 'dump', `--match=${series}`, tsdb]);
  assert.equal(dump.status, 0, dump.output);
  const stored = dump.output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => line.split(' ').slice(-2).join(' '));
  const written = text
    .split('\n')
    .filter((line) => line.startsWith('mlmon_feature_psi{model="m",feature="x",window="10m"}'))
    .map((line) => {
      const [value, seconds] = line.split(' ').slice(-2);
      return `${value} ${Number(seconds) * 1000}`;
    });
  assert.ok(written.length > 100, `${written.length} PSI samples written`);
  assert.deepEqual(stored, written);
});

test('backfilled samples equal what the ingest path fed the same records exports at the same instants', async () => {
  const { dir, records, start } = fixture();
  const { status, stderr, text } = backfill(dir);
  assert.equal(status, 0, stderr);

  const { state } = await startState(loadConfigFile(join(dir, 'config.yml')));
  // Before the shift, at its edge, within the 10m window after it, and after an hour of it.
  const firstStep = Math.ceil(start / STEP_MS) * STEP_MS;
  const instants = [20, 60, 65, 119].map((minutes) => firstStep + minutes * STEP_MS);
  let next = 0;
  for (const instant of instants) {
    while (next < records.length && Date.parse(records[next].timestamp as string) <= instant) {
      const now = Date.parse(records[next].timestamp as string);
      const result = ingestItems(state, [{ value: records[next] }], { maxFeatures: 2000, now });
      assert.equal(result.status, 200);
      next++;
    }
    const live = samplesAt(
      renderMetrics(state, instant).replace(/\n/g, ` ${instant / 1000}\n`),
      instant / 1000,
      COMPARED,
    );
    const backfilled = samplesAt(text, instant / 1000, COMPARED);
    assert.ok(backfilled.length > 30, `${backfilled.length} samples at ${instant}`);
    assert.deepEqual(backfilled, live, `at ${new Date(instant).toISOString()}`);
  }
  // The shift shows in both models: drift on x in the 10m window at minute 65, none at minute 20.
  for (const model of ['m', 'k']) {
    const drifted = (minute: number) =>
      samplesAt(text, (firstStep + minute * STEP_MS) / 1000, ['mlmon_feature_drift_detected']).find((line) =>
        line.includes(`model="${model}",feature="x",window="10m"`),
      );
    assert.match(drifted(20)!, / 0$/, model);
    assert.match(drifted(65)!, / 1$/, model);
  }
  const thresholds = samplesAt(text, instants[0] / 1000, ['mlmon_feature_drift_threshold']);
  assert.ok(
    thresholds.some((line) => line.startsWith('mlmon_feature_drift_threshold{model="m"') && line.endsWith(' 0.2')),
  );
  assert.ok(
    thresholds.some((line) => line.startsWith('mlmon_feature_drift_threshold{model="k"') && !line.endsWith(' 0.2')),
    'the calibrated model has thresholds of its own',
  );
});
