// Segments: a model segmented by `country` reports drift and data quality per kept country and
// __other__, each against that country's reference rows. Records pushed over HTTP; the values
// on /metrics and queried back from a real Prometheus equal fixtures/make_segment_fixture.py's
// numpy/scipy values per segment.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../src/config/load.ts';
import { buildModels, startState } from '../src/startup.ts';
import { startExporter, postRecords, type RunningExporter } from './helpers/exporter.ts';
import { queryOne } from './helpers/prometheus-query.ts';
import { driftGolden, FIXTURES } from './helpers/golden.ts';
import { join } from 'node:path';
import type { FileSource } from '../src/sources/file/file.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import { CATALOG, type FamilyName } from '../src/metrics/catalog.ts';
import { SEGMENT_LABELS, SEGMENTED_FAMILIES } from '../src/metrics/segment-labels.ts';
import {
  assertClose,
  parseMetrics,
  scrapeText,
  startPrometheus,
  tempDir,
  type MetricSample,
  type RunningPrometheus,
} from '../../testkit/index.ts';

interface SegmentGolden {
  kept: string[];
  /** By segment value ('' for the whole model), then feature, then statistic. */
  expected: Record<string, Record<string, Record<string, number>>>;
  current_records: Record<string, number | string | null>[];
  /** Per current record: its prediction, and its label inline or by id later (or none). */
  current_predictions: { prediction: string; label?: string; late_label?: string }[];
}
const golden = JSON.parse(readFileSync(`${FIXTURES}segment-golden.json`, 'utf8')) as SegmentGolden;

const MODEL = `
models:
  - name: shop
    reference: { path: ${FIXTURES}segment-reference.csv }
    features: [{ name: x }, { name: color, type: categorical }, { name: country, type: categorical }]
    prediction: { name: prediction, type: categorical }
    performance: { positive_class: 'yes' }
    segments: [country]
    segment_values: 2
    windows: [1h]
    min_samples: 100
`;

let exporter: RunningExporter;
let prometheus: RunningPrometheus;
let samples: MetricSample[];

before(async () => {
  exporter = await startExporter(MODEL);
  const ndjson = golden.current_records
    .map((features, i) => {
      const { prediction, label } = golden.current_predictions[i];
      return JSON.stringify({ model: 'shop', id: `r${i}`, features, prediction, label });
    })
    .join('\n');
  const answer = await postRecords(exporter.url, ndjson, 'application/x-ndjson');
  assert.equal(answer.status, 200);
  assert.equal(answer.body.accepted, golden.current_records.length);
  const late = golden.current_predictions.flatMap(({ late_label }, i) =>
    late_label === undefined ? [] : [JSON.stringify({ model: 'shop', id: `r${i}`, label: late_label })],
  );
  const labels = await fetch(`${exporter.url}/api/v1/labels`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: late.join('\n'),
  });
  assert.equal(labels.status, 200, await labels.text());
  samples = parseMetrics(await scrapeText(exporter.url));
  prometheus = await startPrometheus({ jobs: [{ name: 'mlmon', targets: [`127.0.0.1:${exporter.port}`] }] });
});

after(async () => {
  await prometheus?.stop();
  await exporter?.stop();
});

/** The one sample of `name` for that feature and segment value ('' for the whole model: no segment label). */
function sampleOf(name: string, feature: string, value: string): number {
  const found = samples.filter(
    (s) =>
      s.name === name &&
      s.labels.model === 'shop' &&
      s.labels.feature === feature &&
      s.labels.window === '1h' &&
      (value === ''
        ? s.labels.segment === undefined
        : s.labels.segment === 'country' && s.labels.segment_value === value),
  );
  assert.equal(found.length, 1, `${name} ${feature} segment "${value}"`);
  return found[0].value;
}

test("segment series carry the catalog's labels plus segment and segment_value, only in the families METRICS.md marks", () => {
  const segmented = samples.filter((s) => s.labels.segment !== undefined);
  assert.ok(segmented.length > 0);
  for (const sample of segmented) {
    const name = sample.name as FamilyName;
    assert.ok(SEGMENTED_FAMILIES.has(name), name);
    const expected = [...CATALOG[name].labels, ...SEGMENT_LABELS].sort();
    assert.deepEqual(Object.keys(sample.labels).sort(), expected, name);
  }
});

const STATISTICS: [family: string, key: string, features: string[]][] = [
  ['mlmon_feature_psi', 'psi', ['x', 'color', 'country']],
  ['mlmon_feature_jensen_shannon_distance', 'jensen_shannon', ['x', 'color', 'country']],
  ['mlmon_feature_chi2_pvalue', 'chi2_pvalue', ['color']],
  ['mlmon_feature_new_category_ratio', 'new_category_ratio', ['color', 'country']],
  ['mlmon_feature_missing_ratio', 'missing_ratio', ['x']],
  ['mlmon_feature_mean_shift', 'mean_shift', ['x']],
  ['mlmon_feature_std_ratio', 'std_ratio', ['x']],
  ['mlmon_feature_samples', 'n_current', ['x', 'color', 'country']],
];

for (const value of ['', ...golden.kept, '__other__']) {
  const name = value === '' ? 'the whole model' : `segment ${value}`;
  test(`${name}: drift and data quality on /metrics equal numpy/scipy's for its own reference rows`, () => {
    for (const [family, key, features] of STATISTICS) {
      for (const feature of features) {
        const expected = golden.expected[value][feature][key];
        assertClose(sampleOf(family, feature, value), expected, `${family} ${feature} ${name}`, 1e-9);
      }
    }
  });
}

const PERFORMANCE = ['accuracy', 'precision', 'recall', 'f1'];

for (const value of ['', ...golden.kept, '__other__']) {
  const name = value === '' ? 'the whole model' : `segment ${value}`;
  test(`${name}: realised accuracy, precision, recall and F1 (labels inline and joined later) equal scikit-learn's`, () => {
    const expected = golden.expected[value].performance;
    const of = (family: string) => {
      const found = samples.filter(
        (s) =>
          s.name === family &&
          s.labels.model === 'shop' &&
          s.labels.window === '1h' &&
          (value === '' ? s.labels.segment === undefined : s.labels.segment_value === value),
      );
      assert.equal(found.length, 1, `${family} ${name}`);
      return found[0].value;
    };
    assert.equal(of('mlmon_performance_samples'), expected.samples);
    for (const metric of PERFORMANCE) {
      assertClose(of(`mlmon_performance_${metric}`), expected[metric], `${metric} ${name}`, 1e-9);
    }
  });
}

test('only the drifted segment is flagged: FR drifts in x, the whole model and the other segments do not', () => {
  const drifted = (value: string) => sampleOf('mlmon_feature_drift_detected', 'x', value);
  assert.equal(drifted('FR'), 1);
  assert.equal(drifted(''), 0);
  assert.equal(drifted('DE'), 0);
  assert.equal(drifted('__other__'), 0);
});

test('each segment counts its records once: the segments of a column sum to the whole model', () => {
  const windowRecords = samples.filter((s) => s.name === 'mlmon_model_window_records' && s.labels.model === 'shop');
  const whole = windowRecords.find((s) => s.labels.segment === undefined)!.value;
  const segments = windowRecords.filter((s) => s.labels.segment === 'country');
  assert.deepEqual(segments.map((s) => s.labels.segment_value).sort(), [...golden.kept, '__other__'].sort());
  assert.equal(
    segments.reduce((sum, s) => sum + s.value, 0),
    whole,
  );
  assert.equal(whole, golden.current_records.length);
});

test("a segment's reference bins are its own rows': country is all DE in segment DE, not in the whole model", () => {
  const share = (segment: string | undefined) =>
    samples.find(
      (s) =>
        s.name === 'mlmon_feature_reference_bin_ratio' &&
        s.labels.feature === 'country' &&
        s.labels.bin === 'DE' &&
        s.labels.segment_value === segment,
    )?.value;
  assert.equal(share('DE'), 1);
  assert.equal(share('FR'), undefined);
  assert.ok(share(undefined)! < 0.5);
});

for (const value of [...golden.kept, '__other__']) {
  test(`segment ${value}: PSI of x queried from Prometheus equals numpy's`, async () => {
    const psi = await queryOne(
      prometheus,
      `mlmon_feature_psi{model="shop",feature="x",window="1h",segment="country",segment_value="${value}"}`,
    );
    assertClose(psi, golden.expected[value].x.psi, `PSI x ${value}`, 1e-9);
  });
}

test("Prometheus finds the drifted segment: the worst segment's PSI of x is FR's", async () => {
  const worst = await queryOne(
    prometheus,
    'topk(1, mlmon_feature_psi{model="shop",feature="x",window="1h",segment="country"})',
  );
  assertClose(worst, golden.expected.FR.x.psi, 'worst segment PSI', 1e-9);
});

const segmentedConfig = (extra: string, path = 'segment-reference.csv') => `
models:
  - name: shop
    reference: { path: ${FIXTURES}${path} }
    features: [{ name: x }, { name: color, type: categorical }, { name: country, type: categorical }]
${extra}
`;

test('config errors name the model and the segment column', async () => {
  await assert.rejects(
    buildModels(parseConfig(segmentedConfig('    segments: [x]'), 'test.yml')),
    /model shop: .*segments: x is not a categorical feature of the model/,
  );
  await assert.rejects(
    buildModels(parseConfig(segmentedConfig('    segments: [region]'), 'test.yml')),
    /segments: region is not a categorical feature/,
  );
  await assert.rejects(
    buildModels(parseConfig(segmentedConfig('    segments: [color]', 'saved-profile.json'), 'test.yml')),
    /segments: segments are profiled from reference data, not a saved profile/,
  );
  assert.throws(() => parseConfig(segmentedConfig('    segments: [color, color]'), 'test.yml'), /listed twice/);
  assert.throws(() => parseConfig(segmentedConfig('    segments: [a, b, c, d]'), 'test.yml'), /at most 3/);
  assert.throws(
    () => parseConfig(segmentedConfig('    segments: [color]\n    segment_values: 21'), 'test.yml'),
    /segment_values/,
  );
});

test('values a client makes up add no series: 200 new countries all go to __other__', async () => {
  const flood = Array.from({ length: 200 }, (_, i) =>
    JSON.stringify({ model: 'shop', features: { x: 0, color: 'red', country: `made-up-${i}` } }),
  ).join('\n');
  const answer = await postRecords(exporter.url, flood, 'application/x-ndjson');
  assert.equal(answer.status, 200);
  const after = parseMetrics(await scrapeText(exporter.url)).filter(
    (s) => s.name === 'mlmon_model_window_records' && s.labels.segment === 'country',
  );
  assert.deepEqual(after.map((s) => s.labels.segment_value).sort(), [...golden.kept, '__other__'].sort());
  const other = after.find((s) => s.labels.segment_value === '__other__')!.value;
  assert.equal(other, golden.expected.__other__.color.n_current + 200);
});

test('a Parquet file read column by column fills the segments as the same records one by one do', async () => {
  const dir = tempDir('segments-parquet');
  const model = (name: string) => `
  - name: ${name}
    reference: { path: ${FIXTURES}reference.csv }
    features: [{ name: x }, { name: level }, { name: color, type: categorical }]
    segments: [color]
    segment_values: 2
    windows: [1h]`;
  const config = parseConfig(`
models:${model('from-file')}${model('from-http')}
sources:
  - { type: file, name: logs, model: from-file, path: '${FIXTURES}current.parquet', interval: 1h }
`);
  const { state, sources } = await startState(config, { storagePath: join(dir, 'data') });
  await (sources[0] as FileSource).readOnce();
  const now = Date.now();
  const http = state.model('from-http')!;
  for (const features of driftGolden.current_records) http.record({ model: 'from-http', features }, now);
  const series = (name: string) =>
    parseMetrics(renderMetrics(state, now))
      .filter((s) => s.labels.model === name && s.labels.segment === 'color')
      .map((s) => `${s.name}${JSON.stringify({ ...s.labels, model: '' })} ${s.value}`)
      .sort();
  const fromFile = series('from-file');
  assert.ok(fromFile.some((s) => s.startsWith('mlmon_feature_psi')));
  assert.deepEqual(fromFile, series('from-http'));
});
