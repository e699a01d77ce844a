// Label-free estimates per segment: a segment estimates as a model fed only its own records
// would (same calibration), and the segmented model's whole-model estimates stay the reference
// implementation's (fixtures/make_cbpe_fixture.py). The segment column `band` is x's sign, added to
// the CBPE fixture's reference and window in a temporary file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startExporter, postRecords, type RunningExporter } from './helpers/exporter.ts';
import { CBPE_REFERENCE, cbpeGolden, EXACT_METRICS } from './helpers/cbpe-golden.ts';
import { assertClose, parseMetrics, scrapeText, tempDir, type MetricSample } from '../../testkit/index.ts';

const window = cbpeGolden.windows[0];
const bandOf = (x: number) => (x >= 0 ? 'high' : 'low');
let exporter: RunningExporter;
let samples: MetricSample[];

before(async () => {
  const dir = tempDir('segments-estimation');
  const [header, ...rows] = readFileSync(CBPE_REFERENCE, 'utf8').trim().split('\n');
  const reference = join(dir, 'reference.csv');
  writeFileSync(
    reference,
    [`${header},band`, ...rows.map((row) => `${row},${bandOf(Number(row.split(',')[0]))}`)].join('\n') + '\n',
  );
  const model = (name: string, segments: string) => `
  - name: ${name}
    reference: { path: ${reference} }
    features: [{ name: x }, { name: band, type: categorical }]
    prediction: { name: score }
    windows: [1h]
${segments}    performance:
      positive_class: '1'
      negative_class: '0'
      threshold: ${cbpeGolden.threshold}
      estimation: { reference: { path: ${CBPE_REFERENCE} }, min_labelled: 100 }`;
  exporter = await startExporter(`models:${model('segmented', '    segments: [band]\n')}${model('high-only', '')}\n`);
  const records = window.scores.map((score, row) => ({
    features: { x: window.x[row], band: bandOf(window.x[row]) },
    prediction: score,
    id: `r${row}`,
  }));
  const post = async (model: string, chosen: typeof records) => {
    const answer = await postRecords(exporter.url, JSON.stringify(chosen.map((r) => ({ ...r, model }))));
    assert.equal(answer.body.accepted, chosen.length);
  };
  await post('segmented', records);
  await post(
    'high-only',
    records.filter((r) => r.features.band === 'high'),
  );
  // The labels of the high band arrive (for both models): the self-check per segment.
  const labels = window.labels.flatMap((label, row) =>
    bandOf(window.x[row]) === 'high'
      ? ['segmented', 'high-only'].map((model) => ({ model, id: `r${row}`, label }))
      : [],
  );
  const answer = await fetch(`${exporter.url}/api/v1/labels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(labels),
  });
  assert.equal(answer.status, 200);
  samples = parseMetrics(await scrapeText(exporter.url));
});

after(async () => {
  await exporter?.stop();
});

const estimationSeries = (keep: (s: MetricSample) => boolean) =>
  new Map(
    samples
      .filter((s) => /^mlmon_performance_estimat/.test(s.name) && keep(s))
      .map((s) => [`${s.name}{${s.labels.window},${s.labels.metric ?? ''}}`, s.value]),
  );

test('segment high of the segmented model estimates exactly as a model fed only the high band', () => {
  const segment = estimationSeries((s) => s.labels.model === 'segmented' && s.labels.segment_value === 'high');
  const alone = estimationSeries((s) => s.labels.model === 'high-only');
  assert.ok(alone.size > 20, `${alone.size} estimation series`);
  assert.deepEqual(segment, alone);
  assert.ok(segment.has('mlmon_performance_estimation_error{1h,accuracy}'), 'the self-check runs per segment');
});

test("the segmented model's whole-model estimates are the reference implementation's", () => {
  const whole = estimationSeries((s) => s.labels.model === 'segmented' && s.labels.segment === undefined);
  assert.equal(whole.get('mlmon_performance_estimated_samples{1h,}'), window.scores.length);
  for (const metric of EXACT_METRICS) {
    assertClose(whole.get(`mlmon_performance_estimated_${metric}{1h,}`)!, window.estimated[metric], metric, 1e-9);
  }
});

test('the low band, without labels, has estimates but no self-check', () => {
  const low = estimationSeries((s) => s.labels.model === 'segmented' && s.labels.segment_value === 'low');
  assert.ok(low.get('mlmon_performance_estimated_samples{1h,}')! > 0);
  assert.equal(low.get('mlmon_performance_estimation_labelled{1h,}'), 0);
  assert.ok(![...low.keys()].some((k) => k.startsWith('mlmon_performance_estimation_error')));
});
