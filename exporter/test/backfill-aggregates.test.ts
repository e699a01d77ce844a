// Aggregate lines in `mlmon backfill`: a minute's records given as their bin counts (as the
// database source hands them to the windows) give the same drift families as the records
// themselves; a line whose counts do not fit the model's bins is skipped, naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testkit/index.ts';
import { backfill } from '../src/backfill/backfill.ts';
import { loadConfigFile } from '../src/config/load.ts';
import { loadReference } from '../src/profile/load-reference.ts';
import { binIndex } from '../src/stats/index.ts';
import type { CategoricalProfile, NumericProfile } from '../src/profile/types.ts';
import { Random } from '../src/util/random.ts';

const MINUTE = 60_000;
/** The families computed from bin counts alone (sums and extremes are summed in another order). */
const COUNTED =
  /^mlmon_(feature_psi|feature_drift_detected|feature_bin_ratio|feature_samples|feature_ks_statistic|feature_new_category_ratio|feature_out_of_range_ratio|model_window_records)\{/;

test('aggregate lines give the drift families the same records give; a misfit line is skipped', async () => {
  const dir = tempDir('backfill-aggregates');
  const random = new Random(5);
  const reference = [
    'x,c',
    ...Array.from({ length: 3000 }, () => `${random.normal().toFixed(4)},${random.next() < 0.6 ? 'a' : 'b'}`),
  ];
  writeFileSync(join(dir, 'reference.csv'), `${reference.join('\n')}\n`);
  writeFileSync(
    join(dir, 'config.yml'),
    'models:\n  - name: m\n    reference: { path: reference.csv }\n    windows: [10m]\n    min_samples: 100\n',
  );
  const config = loadConfigFile(join(dir, 'config.yml'));
  const { profile } = await loadReference(config.models[0]);
  const x = profile.features.x as NumericProfile;
  const c = profile.features.c as CategoricalProfile;
  const [edges, fineEdges] = [Float64Array.from(x.edges), Float64Array.from(x.fine_edges)];

  const start = Math.floor((Date.now() - 3_600_000) / MINUTE) * MINUTE;
  const records: string[] = [];
  const aggregates: string[] = [];
  for (let m = 0; m < 30; m++) {
    const t = start + m * MINUTE;
    const values = Array.from({ length: 200 }, () => random.normal(m >= 15 ? 0.5 : 0));
    const categories = values.map(() => (random.next() < (m >= 20 ? 0.3 : 0.6) ? 'a' : m >= 20 ? 'new' : 'b'));
    values.forEach((v, i) =>
      records.push(JSON.stringify({ model: 'm', timestamp: t, features: { x: v, c: categories[i] } })),
    );
    const bins = new Array(x.counts.length).fill(0);
    const fine = new Array(x.fine_counts.length).fill(0);
    for (const v of values) {
      bins[binIndex(v, edges)]++;
      fine[binIndex(v, fineEdges)]++;
    }
    const categoryBins = new Array(c.counts.length).fill(0);
    for (const category of categories) {
      const at = c.top.indexOf(category);
      categoryBins[at >= 0 ? at : c.top.length]++;
    }
    const unusual = values.filter((v) => v < x.min || v > x.max).length;
    aggregates.push(
      JSON.stringify({
        model: 'm',
        timestamp: t,
        records: values.length,
        aggregates: {
          x: { present: 200, missing: 0, unusual, bins, fine, finite: 200, centredSum: 0, centredSumSquares: 0 },
          c: { present: 200, missing: 0, unusual: categories.filter((k) => k === 'new').length, bins: categoryBins },
        },
      }),
    );
  }
  // One line whose PSI bins are one short: skipped, and said where.
  aggregates.splice(
    3,
    0,
    JSON.stringify({
      model: 'm',
      timestamp: start + 3 * MINUTE,
      records: 1,
      aggregates: { x: { present: 1, missing: 0, unusual: 0, bins: [1] } },
    }),
  );
  writeFileSync(join(dir, 'records.jsonl'), `${records.join('\n')}\n`);
  writeFileSync(join(dir, 'aggregates.jsonl'), `${aggregates.join('\n')}\n`);

  const rejected: string[] = [];
  const run = async (input: string) => {
    const output = join(dir, `${input}.om`);
    const summary = await backfill(config, {
      inputs: [join(dir, `${input}.jsonl`)],
      stepMs: MINUTE,
      output,
      onRejected: (where, field, reason) => rejected.push(`${where} ${field} ${reason}`),
    });
    const counted = readFileSync(output, 'utf8')
      .split('\n')
      .filter((line) => COUNTED.test(line));
    return { summary, counted };
  };
  const fromRecords = await run('records');
  const fromAggregates = await run('aggregates');
  assert.deepEqual(rejected, [`${join(dir, 'aggregates.jsonl')}:4 aggregates.x.bins not_the_models_bins`]);
  assert.equal(fromAggregates.summary.records, fromRecords.summary.records);
  assert.ok(fromRecords.counted.length > 500, `${fromRecords.counted.length} samples`);
  assert.deepEqual(fromAggregates.counted, fromRecords.counted);
  assert.ok(fromRecords.counted.some((line) => /drift_detected\{model="m",feature="x",window="10m"\} 1 /.test(line)));
});
