// Integration: records pushed over HTTP, scraped by a real Prometheus (Debian's package), and the
// statistics queried back through /api/v1/query equal the fixture script's scipy values.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startExporter, postRecords, type RunningExporter } from './helpers/exporter.ts';
import { assertClose, startPrometheus, type RunningPrometheus } from '../../testkit/index.ts';
import { queryOne } from './helpers/prometheus-query.ts';
import { driftGolden, FIXTURES } from './helpers/golden.ts';

let exporter: RunningExporter;
let prometheus: RunningPrometheus;

before(async () => {
  exporter = await startExporter(`
models:
  - name: golden
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: level }, { name: color, type: categorical }]
    windows: [1h]
    min_samples: 1000
`);
  const ndjson = driftGolden.current_records
    .map((features) => JSON.stringify({ model: 'golden', features }))
    .join('\n');
  const answer = await postRecords(exporter.url, ndjson, 'application/x-ndjson');
  assert.equal(answer.status, 200);
  assert.equal(answer.body.accepted, driftGolden.current_records.length);
  prometheus = await startPrometheus({ jobs: [{ name: 'mlmon', targets: [`127.0.0.1:${exporter.port}`] }] });
});

after(async () => {
  await prometheus?.stop();
  await exporter?.stop();
});

const queried = (expr: string) => queryOne(prometheus, expr);

for (const feature of ['x', 'level', 'color']) {
  test(`PSI of ${feature} queried from Prometheus equals numpy's`, async () => {
    const psi = await queried(`mlmon_feature_psi{model="golden",feature="${feature}",window="1h"}`);
    assertClose(psi, driftGolden.expected[feature].psi as number, `${feature} PSI`, 1e-9);
  });
  test(`Jensen-Shannon distance of ${feature} queried from Prometheus equals scipy's`, async () => {
    const js = await queried(`mlmon_feature_jensen_shannon_distance{model="golden",feature="${feature}",window="1h"}`);
    assertClose(js, driftGolden.expected[feature].jensen_shannon as number, `${feature} JS`, 1e-9);
  });
}

test('chi-squared p-value and new-category ratio of the categorical feature match scipy', async () => {
  const p = await queried('mlmon_feature_chi2_pvalue{model="golden",feature="color",window="1h"}');
  assertClose(p, driftGolden.expected.color.chi2_pvalue as number, 'chi2 p', 1e-9);
  const ratio = await queried('mlmon_feature_new_category_ratio{model="golden",feature="color",window="1h"}');
  assertClose(ratio, driftGolden.expected.color.new_category_ratio as number, 'new category ratio', 1e-12);
});

test('missing ratio, sample count and mean shift of x match numpy', async () => {
  const missing = await queried('mlmon_feature_missing_ratio{model="golden",feature="x",window="1h"}');
  assertClose(missing, driftGolden.expected.x.missing_ratio as number, 'missing ratio', 1e-12);
  const samples = await queried('mlmon_feature_samples{model="golden",feature="x",window="1h"}');
  assert.equal(samples, driftGolden.expected.x.n_current);
  const shift = await queried('mlmon_feature_mean_shift{model="golden",feature="x",window="1h"}');
  assertClose(shift, driftGolden.expected.x.mean_shift as number, 'mean shift', 1e-9);
});

test('the drift status series say drift for color and the bin counters sum to the samples', async () => {
  const drift = await queried('mlmon_feature_status{model="golden",feature="color",window="1h",status="drift"}');
  assert.equal(drift, 1);
  const total = await queried('sum(mlmon_feature_bin_observations_total{model="golden",feature="x"})');
  assert.equal(total, driftGolden.expected.x.n_current);
});
