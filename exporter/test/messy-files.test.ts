// Issue 12: files as users have them (NA tokens, padded numbers, zip codes, quoted newlines, a BOM,
// CRLF, gzip and zstd, duplicate or missing columns, category ties), read as pandas reads them.
// Golden values: fixtures/make_messy_fixture.py (pandas read_csv + numpy/scipy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/load.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import type { FileSource } from '../src/sources/file/file.ts';
import { startState } from '../src/startup.ts';
import { assertClose } from '../../testkit/index.ts';
import { FIXTURES } from './helpers/golden.ts';

const MLMON = fileURLToPath(new URL('../scripts/dev-mlmon.mjs', import.meta.url));
const DIR = `${FIXTURES}messy/`;
const REF = `${DIR}ref.csv`;
const CUR = `${DIR}cur.csv`;
type Expected = Record<string, number | string | string[]>;
const golden = JSON.parse(readFileSync(`${DIR}golden.json`, 'utf8')) as {
  expected: Record<string, Expected>;
  ties_max_categories_1: Expected;
};
const tmp = mkdtempSync(join(tmpdir(), 'mlmon-messy-'));

function mlmon(...args: string[]) {
  const result = spawnSync(process.execPath, [MLMON, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function drift(...args: string[]) {
  const run = mlmon('drift', '--json', ...args);
  const out = run.stdout
    ? (JSON.parse(run.stdout) as { features: Record<string, Record<string, unknown>> })
    : undefined;
  return { ...run, features: out?.features ?? {} };
}

const KEYS = ['n_reference', 'n_current', 'missing_ratio', 'psi', 'ks_statistic', 'ks_pvalue', 'wasserstein'];
const CATEGORICAL_KEYS = ['n_reference', 'n_current', 'missing_ratio', 'psi', 'chi2_pvalue', 'new_category_ratio'];

function assertFeature(got: Record<string, unknown>, expected: Expected, name: string) {
  assert.equal(got.type, expected.type, `${name}.type`);
  for (const key of expected.type === 'numeric' ? KEYS : CATEGORICAL_KEYS) {
    assertClose(got[key] as number, expected[key] as number, `${name}.${key}`, 1e-9);
  }
}

test('NA tokens and padded numbers leave a numeric column numeric: a 3σ shift is drift, exit 1', () => {
  const run = drift('--reference', REF, '--current', CUR, '--categorical', 'zip,hour');
  assert.equal(run.code, 1, run.stderr);
  assertFeature(run.features.amount, golden.expected.amount, 'amount');
  assert.equal(run.features.amount.status, 'drift');
  assert.equal(run.stderr, '', 'nothing to warn about');
});

test('a categorical column keeps numeric-looking text: zip codes with leading zeros, hours', () => {
  const run = drift('--reference', REF, '--current', CUR, '--categorical', 'zip,hour');
  assertFeature(run.features.zip, golden.expected.zip, 'zip');
  assertFeature(run.features.hour, golden.expected.hour, 'hour');
  assert.equal(run.features.zip.new_category_ratio, golden.expected.zip.new_category_ratio);
  assert.equal(run.features.zip.type_violations, undefined);
});

test('quoted fields with newlines, a BOM and CRLF line ends are read as one record each', () => {
  const run = drift('--reference', REF, '--current', CUR, '--categorical', 'zip,hour');
  assertFeature(run.features.note, golden.expected.note, 'note');
  // The BOM is not part of the first column's name.
  assert.ok(run.features.amount, JSON.stringify(Object.keys(run.features)));
});

test('.csv.gz and .csv.zst are decompressed, found by their magic bytes even when misnamed', () => {
  const plain = drift('--reference', REF, '--current', CUR, '--categorical', 'zip,hour');
  const renamed = join(tmp, 'cur-gzip.csv');
  writeFileSync(renamed, readFileSync(`${CUR}.gz`));
  for (const path of [`${CUR}.gz`, `${CUR}.zst`, renamed]) {
    const run = drift('--reference', REF, '--current', path, '--categorical', 'zip,hour');
    assert.equal(run.code, 1, `${path}: ${run.stderr}`);
    assert.deepEqual(run.features, plain.features, path);
  }
  const corrupt = join(tmp, 'corrupt.csv.gz');
  writeFileSync(corrupt, readFileSync(`${CUR}.gz`).subarray(0, 200));
  const bad = mlmon('drift', '--reference', REF, '--current', corrupt);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /corrupt\.csv\.gz: cannot decompress/);
});

test('--numeric compares a column with stray text as numbers and reports the stray cells', () => {
  const ref = join(tmp, 'stray-ref.csv');
  const cur = join(tmp, 'stray-cur.csv');
  const rows = (shift: number, stray: string) =>
    'v\n' + Array.from({ length: 2000 }, (_, i) => (i === 5 ? stray : String((i % 100) + shift))).join('\n') + '\n';
  writeFileSync(ref, rows(0, 'unknown'));
  writeFileSync(cur, rows(50, 'n.a.'));
  const inferred = drift('--reference', ref, '--current', cur);
  assert.equal(inferred.features.v.type, 'categorical');
  assert.match(inferred.stderr, /feature "v" is read as categorical because "unknown" in data row 6 .*--numeric v/);
  const declared = drift('--reference', ref, '--current', cur, '--numeric', 'v');
  assert.equal(declared.code, 1, declared.stderr);
  assert.equal(declared.features.v.type, 'numeric');
  assert.equal(declared.features.v.n_current, 1999);
  assert.equal(declared.features.v.type_violations, 1);
  assert.match(declared.stderr, /feature "v" is numeric but "unknown" in data row 6 of the reference is not a number/);
  assert.match(declared.stderr, /feature "v" .* 1 current cells are not numbers \(first: "n\.a\." in data row 6\)/);
  const both = mlmon('drift', '--reference', ref, '--current', cur, '--numeric', 'v', '--categorical', 'v');
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--numeric and --categorical both name "v"/);
});

test('duplicate header names and columns missing from one side are errors naming the column', () => {
  const dup = join(tmp, 'dup.csv');
  writeFileSync(dup, 'a,b,a\n1,2,3\n');
  const duplicate = mlmon('drift', '--reference', dup, '--current', dup);
  assert.equal(duplicate.code, 2);
  assert.match(duplicate.stderr, /dup\.csv: the column "a" appears twice in the header/);

  const ref = join(tmp, 'two.csv');
  const cur = join(tmp, 'one.csv');
  writeFileSync(ref, 'a,b\n' + '1,2\n'.repeat(10));
  writeFileSync(cur, 'a,c\n' + '1,2\n'.repeat(10));
  const missing = mlmon('drift', '--reference', ref, '--current', cur);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /one\.csv: no column "b", a feature of the reference/);
  const extra = mlmon('drift', '--reference', ref, '--current', cur, '--exclude', 'b');
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /the column "c" is not in --reference .*two\.csv/);
});

test('category ties are broken by code point order, as numpy does', () => {
  const run = drift(
    '--reference',
    `${DIR}ties-ref.csv`,
    '--current',
    `${DIR}ties-cur.csv`,
    '--max-categories',
    '1',
    '--min-samples',
    '10',
  );
  assertFeature(run.features.mood, golden.ties_max_categories_1, 'mood');
});

async function fileSourceOn(path: string) {
  const dir = mkdtempSync(join(tmp, 'source-'));
  const config = parseConfig(`
models:
  - name: messy
    reference: { path: '${REF}' }
    features: [{ name: amount }, { name: zip, type: categorical }, { name: hour, type: categorical }, { name: note }]
    windows: [1h]
sources:
  - { type: file, name: logs, model: messy, path: '${path}', interval: 1h }
`);
  const { state, sources } = await startState(config, { storagePath: join(dir, 'data') });
  return { state, source: sources[0] as FileSource, records: () => state.models.get('messy')!.windows.recordsTotal };
}

const metricOf = (metrics: string, name: string, feature: string) =>
  Number(new RegExp(`^${name}\\{model="messy",feature="${feature}",window="1h"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);

test('the file source reads the same file as the CLI does, tailing across a quoted newline', async () => {
  const dir = mkdtempSync(join(tmp, 'tail-'));
  const log = join(dir, 'cur.csv');
  const bytes = readFileSync(CUR);
  // Cut the file inside a quoted field that holds a newline: that record must wait, whole.
  const cut = bytes.indexOf('cancelled\nrebooked') + 'cancelled\n'.length;
  writeFileSync(log, Buffer.concat([Buffer.from('\ufeff'), bytes.subarray(0, cut)]));
  const { state, source, records } = await fileSourceOn(log);
  await source.readOnce();
  const before = records();
  appendFileSync(log, bytes.subarray(cut));
  await source.readOnce();
  assert.equal(records(), 5000);
  assert.ok(before > 0 && before < 5000);
  const metrics = renderMetrics(state);
  for (const name of ['amount', 'zip', 'hour', 'note']) {
    assertClose(metricOf(metrics, 'mlmon_feature_psi', name), golden.expected[name].psi as number, name, 1e-9);
    assertClose(
      metricOf(metrics, 'mlmon_feature_missing_ratio', name),
      golden.expected[name].missing_ratio as number,
      `${name} missing`,
      1e-9,
    );
  }
  assertClose(
    metricOf(metrics, 'mlmon_feature_new_category_ratio', 'zip'),
    golden.expected.zip.new_category_ratio as number,
    'zip new categories',
    1e-12,
  );
  assert.doesNotMatch(metrics, /mlmon_schema_violations_total\{/);
  assert.doesNotMatch(metrics, /mlmon_source_errors_total\{source="logs",reason="parse"\}/);
});

test('the file source reads .csv.gz and .csv.zst logs whole, once', async () => {
  for (const suffix of ['.gz', '.zst']) {
    const { state, source, records } = await fileSourceOn(`${CUR}${suffix}`);
    await source.readOnce();
    await source.readOnce();
    assert.equal(records(), 5000, suffix);
    const metrics = renderMetrics(state);
    assertClose(metricOf(metrics, 'mlmon_feature_psi', 'amount'), golden.expected.amount.psi as number, suffix, 1e-9);
  }
});

test('a row with too few or too many fields is an error naming its line, never merged with the next', () => {
  const ragged = join(tmp, 'ragged.csv');
  writeFileSync(ragged, 'a,b\n1,2\n3\n4,5,6\n');
  const run = mlmon('drift', '--reference', ragged, '--current', ragged);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /ragged\.csv: invalid CSV: .*line 3/);
});
