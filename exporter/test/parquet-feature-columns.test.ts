// The file source's column-by-column Parquet path (a file of feature columns only) against its
// row-by-row path, on pyarrow files (fixtures/make_parquet_features_fixture.py) with the awkward
// cases: nulls, NaN, infinities, INT64 beyond 2^53 (required and nullable), dictionary pages
// followed by plain pages, categories not in the reference, a text over max_value_bytes, numbers
// as text with words among them, numbers and booleans as categories, and a feature the file lacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import type { FileSource } from '../src/sources/file/file.ts';
import {
  ColumnCursor,
  EPOCH_MS_PARSERS,
  forEachParquetBatch,
  openParquet,
  type ParquetBatch,
} from '../src/sources/file/file-parquet.ts';
import { ColumnBatchCounter } from '../src/sources/file/parquet-column-batch.ts';
import { ParquetRecordCounter } from '../src/sources/file/parquet-records.ts';
import { FeatureColumnReader, readInt64 } from '../src/sources/file/parquet-feature-columns.ts';
import { buildProfile, DEFAULT_SETTINGS } from '../src/profile/build.ts';
import { layoutFor, type CategoricalSlot } from '../src/window/layout.ts';
import { categoryCode, MISSING_CODE, VIOLATION_CODE } from '../src/window/observe-column.ts';
import { startState } from '../src/startup.ts';
import { assertClose } from '../../testkit/index.ts';
import { FIXTURES } from './helpers/golden.ts';

test('INT64 read without a BigInt each is the number Number(bigint) gives, beyond 2^53 too', () => {
  const two53 = 2n ** 53n;
  const signed = [0n, -1n, 1n, two53 - 1n, two53, two53 + 1n, two53 + 3n, -(two53 + 1n), 2n ** 63n - 1n, -(2n ** 63n)];
  // Ties between two doubles round to the even one, as Number(bigint) does.
  signed.push(2n ** 60n + 2n ** 7n, 2n ** 60n + 3n * 2n ** 7n, 2n ** 62n + 2n ** 10n + 1n, -(2n ** 61n) - 2n ** 8n);
  const data = BigInt64Array.from(signed);
  const out = new Float64Array(data.length + 2);
  readInt64(data, 0, out, 2, data.length);
  assert.deepEqual([...out.subarray(2)], signed.map(Number));
  // From an offset into the array, and unsigned values above 2^63.
  const unsigned = BigUint64Array.from([5n, 2n ** 64n - 1n, 2n ** 63n + 2n ** 10n, two53 + 1n]);
  const tail = new Float64Array(3);
  readInt64(unsigned, 1, tail, 0, 3);
  assert.deepEqual([...tail], [...unsigned.subarray(1)].map(Number));
});

test('timestamps decoded as numbers are the times of the Dates hyparquet would make (getTime), out of range too', () => {
  const edges = [0n, 1n, -1n, 1_780_000_000_123n, -62_135_596_800_000n, 8_640_000_000_000_000n, 8_640_000_000_000_001n];
  edges.push(-8_640_000_000_000_001n, 2n ** 63n - 1n, -(2n ** 63n));
  for (const value of edges) {
    assert.deepEqual(
      EPOCH_MS_PARSERS.timestampFromMilliseconds(value),
      new Date(Number(value)).getTime(),
      `${value} ms`,
    );
    for (const [scale, parse] of [
      [1000n, EPOCH_MS_PARSERS.timestampFromMicroseconds],
      [1000000n, EPOCH_MS_PARSERS.timestampFromNanoseconds],
    ] as const) {
      // Sub-millisecond parts, either sign: truncated as hyparquet's BigInt division truncates.
      for (const fine of [value * scale + 999n, value * scale - 1n, value]) {
        assert.deepEqual(parse(fine), new Date(Number(fine / scale)).getTime(), `${fine} / ${scale}`);
      }
    }
  }
  for (const days of [0, 1, -1, 20_600, 100_000_000, 100_000_001, -100_000_001, 2 ** 31 - 1]) {
    assert.deepEqual(EPOCH_MS_PARSERS.dateFromDays(days), new Date(days * 86400000).getTime(), `${days} days`);
  }
});

const FEATURES = `[{ name: x }, { name: big }, { name: count }, { name: small }, { name: color, type: categorical },
      { name: digits }, { name: code, type: categorical }, { name: flag, type: categorical }, { name: absent }]`;

async function read(name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-parquet-features-'));
  const config = parseConfig(`
models:
  - name: edge
    reference: { path: ${FIXTURES}parquet-features-reference.csv }
    features: ${FEATURES}
    windows: [1h, 24h]
sources:
  - { type: file, name: logs, model: edge, path: '${FIXTURES}${name}', interval: 1h }
`);
  const { state, sources } = await startState(config, { storagePath: join(dir, 'data') });
  await (sources[0] as FileSource).readOnce();
  const metrics = renderMetrics(state);
  const lines = metrics
    .split('\n')
    .filter((line) => /^mlmon_(feature|records|model|unknown)/.test(line) && !/_seconds/.test(line))
    .map((line) => [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)]);
  return { metrics, lines, records: state.models.get('edge')!.windows.recordsTotal };
}

const gauge = (metrics: string, name: string, feature: string) =>
  Number(new RegExp(`^${name}\\{model="edge",feature="${feature}",window="1h"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);

test('Parquet feature columns counted column by column give what the row-by-row path gives', async () => {
  const columns = await read('parquet-features.parquet');
  const rows = await read('parquet-features-model.parquet');
  // 6,000 rows, one refused for a colour text over max_value_bytes.
  assert.equal(columns.records, 5999);
  assert.equal(rows.records, 5999);
  assert.match(columns.metrics, /^mlmon_records_rejected_total\{reason="value_too_long"\} 1$/m);
  assert.deepEqual(
    columns.lines.map(([series]) => series),
    rows.lines.map(([series]) => series),
  );
  assert.ok(columns.lines.length > 100, `${columns.lines.length} series compared`);
  // Values to 1e-12, not bit for bit: the two reads run at different wall-clock moments, so a slice
  // boundary may split one read's records differently (the window test compares bit for bit).
  columns.lines.forEach(([series, value], i) => assertClose(Number(value), Number(rows.lines[i][1]), series, 1e-12, 0));
  // The awkward cases did reach the counters.
  const m = columns.metrics;
  assert.equal(gauge(m, 'mlmon_feature_missing_ratio', 'absent'), 1);
  assert.ok(gauge(m, 'mlmon_feature_new_category_ratio', 'color') > 0.3, 'shades not in the reference');
  assert.ok(gauge(m, 'mlmon_feature_out_of_range_ratio', 'big') > 0, 'INT64 beyond the reference range');
  assert.ok(gauge(m, 'mlmon_feature_missing_ratio', 'x') > 0.01, 'nulls and NaN are missing');
  assert.match(m, /^mlmon_schema_violations_total\{model="edge",feature="digits",reason="expected_number"\} [1-9]/m);
  assert.match(m, /^mlmon_unknown_features_total\{model="edge"\} 5999$/m);
});

test('a model column naming the source model (or nothing) is counted column by column; a row group with another model row by row', async (t) => {
  const rows = await read('parquet-features-models-ids.parquet');
  const batches = t.mock.method(ColumnBatchCounter.prototype, 'count');
  const columns = await read('parquet-features-models.parquet');
  assert.deepEqual(
    batches.mock.calls.map((call) => call.result === undefined),
    [false, false, true],
    'the third row group has rows of another model',
  );
  // 6,000 rows: 40 of model "other" (not configured), one refused for a text over max_value_bytes.
  assert.equal(columns.records, 5959);
  assert.equal(rows.records, 5959);
  for (const metrics of [columns.metrics, rows.metrics])
    assert.match(metrics, /^mlmon_records_rejected_total\{reason="unknown_model"\} 40$/m);
  assert.deepEqual(
    columns.lines.map(([series]) => series),
    rows.lines.map(([series]) => series),
  );
  columns.lines.forEach(([series, value], i) => assertClose(Number(value), Number(rows.lines[i][1]), series, 1e-12, 0));
});

test('a category column with more distinct texts than are remembered gets every code right', () => {
  const reference = Array.from({ length: 300 }, (_, i) => `k${i % 40}`);
  const profile = buildProfile(
    { columns: new Map([['c', reference]]), rowCount: reference.length },
    [{ name: 'c', type: 'categorical' }],
    DEFAULT_SETTINGS,
  );
  const slot = layoutFor(profile).features[0] as CategoricalSlot;
  // 12,000 rows: 10,000 distinct new texts among known ones, missing cells, numbers and an object.
  const cells: unknown[] = Array.from({ length: 12_000 }, (_, r) => (r % 6 === 0 ? `k${r % 50}` : `new-${r}`));
  Object.assign(cells, { 7: null, 8: '', 9: 'NA', 10: NaN, 11: 12, 13: true, 14: { a: 1 }, 15: 'x'.repeat(5000) });
  const cursor = new ColumnCursor();
  cursor.add(100, cells.slice(0, 5000));
  cursor.add(5100, cells.slice(5000));
  const reader = new FeatureColumnReader([slot], 1024);
  const { refused, accepted, features } = reader.read([cursor.ready()], 100, 12_100);
  assert.equal(refused, 1);
  assert.equal(accepted, 11_999);
  const feature = features[0];
  assert.equal(feature.kind, 'categorical');
  const expected = cells
    .filter((_, r) => r !== 15)
    .map((cell) => {
      if (cell === null || cell === '' || cell === 'NA' || Number.isNaN(cell)) return MISSING_CODE;
      if (typeof cell === 'object') return VIOLATION_CODE;
      const text = String(cell);
      return categoryCode(slot.binOf(text), slot.isKnown(text));
    });
  if (feature.kind === 'categorical') assert.deepEqual([...feature.codes.subarray(0, accepted)], expected);
  assert.ok(expected.includes(categoryCode(slot.binOf('k2'), true)) && expected.includes(VIOLATION_CODE));
});

// Inference logs with timestamp, prediction and model_version columns (fixtures/make_parquet_timed_fixture.py):
// the column path against the row path on the same rows (the `-ids` twin has an id column, which
// the column path does not take), both at the fixture's fixed `now`, so every counter is compared
// bit for bit: rows out of time order, across slice boundaries, without a timestamp, with an
// invalid one, in the future and too old; a model_version that changes within a batch; a prediction
// scored as a binary classifier (its confidence is kept too).
const NOW_MS = 1_780_000_000_000;

async function countTimed(name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-parquet-timed-'));
  const config = parseConfig(`
models:
  - name: timed
    reference: { path: ${FIXTURES}parquet-timed-reference.csv }
    features: [{ name: x }, { name: count }, { name: color, type: categorical }, { name: digits }]
    prediction: { name: prediction }
    performance: { positive_class: '1', threshold: 0.5 }
    windows: [1h, 24h]
`);
  const { state } = await startState(config, { storagePath: join(dir, 'data') });
  const parquet = await openParquet(`${FIXTURES}${name}`);
  const counter = ParquetRecordCounter.for(state, 'timed', parquet.columns)!;
  let counted = 0;
  const onBatch = (batch: ParquetBatch) => (counted += counter.count(batch, NOW_MS) ?? NaN);
  await forEachParquetBatch(parquet, 0, new Set(parquet.columns), onBatch, () => {});
  const entry = state.models.get('timed')!;
  const w = entry.windows;
  return {
    counted,
    rejected: Object.fromEntries(state.rejected),
    totals: [w.recordsTotal, w.lateTotal, w.futureTotal, w.unknownFeaturesTotal, w.lastRecordMs, w.changes],
    modelVersion: w.modelVersion,
    rings: w.snapshotRings.map((ring) => Buffer.from(ring.serialize())),
    bins: [...w.binObservations].map(([name, counts]) => [name, [...counts]]),
    violations: [...w.violations].sort(),
    confidence: [[...entry.confidence.counts], entry.confidence.sum],
  };
}

for (const kind of ['ms', 'us', 'text', 'double']) {
  test(`Parquet with a timestamp (${kind}), prediction and model_version, column by column, equals the row path bit for bit`, async (t) => {
    const batches = t.mock.method(ColumnBatchCounter.prototype, 'count');
    const rows = await countTimed(`parquet-timed-${kind}-ids.parquet`);
    assert.equal(batches.mock.callCount(), 0, 'the file with ids takes the row path');
    const columns = await countTimed(`parquet-timed-${kind}.parquet`);
    const results = batches.mock.calls.map((call) => call.result);
    // Six batches: the one whose model_version changes (and, in the text file, the one with a
    // prediction that is no number) goes to the row path, the others are counted column by column.
    assert.equal(results.length, 6);
    assert.equal(results.filter((result) => result === undefined).length, kind === 'text' ? 2 : 1);
    assert.deepEqual(columns, rows);
    // The awkward rows did reach the counters.
    const [records, late, future] = columns.totals;
    assert.ok(late >= 20 && future >= 30, `late ${late}, future ${future}`);
    assert.equal(columns.rejected.value_too_long, 1);
    if (kind === 'text' || kind === 'double') assert.ok(columns.rejected.invalid_timestamp > 0);
    else assert.equal(columns.rejected.invalid_timestamp, undefined);
    assert.equal(columns.counted, records + late);
    assert.equal(columns.modelVersion, 'v4');
    assert.ok(columns.violations.some(([key]) => key === 'digits\texpected_number'));
    assert.ok((columns.confidence[1] as number) > 100, 'scores above the threshold give a confidence');
  });
}
