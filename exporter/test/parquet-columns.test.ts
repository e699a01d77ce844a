// The CLI's Parquet reader (read-table.ts) on files written by pyarrow
// (fixtures/make_parquet_columns_fixture.py): flat files are read column by column from
// hyparquet's chunks, files with nested columns row by row. Both must give every cell as pandas
// reads it, for zstd and gzip files with several row groups, and `mlmon drift` must give the same
// statistics as the `file` source for the same file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/load.ts';
import { readTable, type Cell } from '../src/io/read-table.ts';
import { renderMetrics } from '../src/metrics/collect.ts';
import type { FileSource } from '../src/sources/file/file.ts';
import { startState } from '../src/startup.ts';
import { assertClose } from '../../testkit/index.ts';
import { FIXTURES } from './helpers/golden.ts';

type GoldenCell = number | string | null;
const golden = JSON.parse(readFileSync(`${FIXTURES}columns-golden.json`, 'utf8')) as {
  rows: number;
  row_groups: number;
  columns: Record<string, GoldenCell[]>;
  nested: Record<string, string[]>;
};

/** A golden cell as the reader gives it: NaN is written as "NaN" in the JSON. */
const expected = (cell: GoldenCell): Cell => (cell === 'NaN' ? NaN : cell);

function assertColumnsAsPandas(columns: Map<string, Cell[]>, file: string): void {
  for (const [name, cells] of Object.entries(golden.columns)) {
    const got = columns.get(name);
    assert.ok(got, `${file}: column ${name}`);
    assert.equal(got.length, golden.rows, `${file}: ${name} length`);
    // One message for the first differing row, rather than thousands of assertions.
    const row = cells.findIndex((cell, i) => !Object.is(got[i], expected(cell)));
    assert.equal(row, -1, `${file}: ${name}[${row}] is ${got[row]}, pandas reads ${cells[row]}`);
  }
}

test('the fixture spreads its rows over several row groups, with nulls and NaN', () => {
  assert.ok(golden.row_groups >= 5, `${golden.row_groups} row groups`);
  assert.ok(golden.columns.x.includes(null) && golden.columns.x.includes('NaN'));
  assert.ok(golden.columns.level.includes(null) && golden.columns.color.includes(null));
});

for (const name of ['columns-zstd.parquet', 'columns-gzip.parquet']) {
  test(`${name}: read column by column, every cell is what pandas reads`, async () => {
    const table = await readTable(`${FIXTURES}${name}`, 'parquet');
    assert.equal(table.rowCount, golden.rows);
    assert.deepEqual([...table.columns.keys()], Object.keys(golden.columns));
    assertColumnsAsPandas(table.columns, name);
  });
}

test('a file with a struct and a list column is read row by row to the same cells', async () => {
  const table = await readTable(`${FIXTURES}columns-nested.parquet`, 'parquet');
  assert.equal(table.rowCount, golden.rows);
  assertColumnsAsPandas(table.columns, 'columns-nested.parquet');
  // Nested values are no features: they stay visible as compact JSON text.
  for (const [name, cells] of Object.entries(golden.nested)) assert.deepEqual(table.columns.get(name), cells, name);
  // The flat columns read column by column equal the row reader's, including NaN.
  const flat = await readTable(`${FIXTURES}columns-zstd.parquet`, 'parquet');
  for (const name of Object.keys(golden.columns))
    assert.deepEqual(flat.columns.get(name), table.columns.get(name), name);
});

const MLMON = fileURLToPath(new URL('../bin/mlmon.mjs', import.meta.url));
const REF = `${FIXTURES}reference.csv`;

const FEATURES = ['x', 'level', 'color'];

function driftJson(current: string) {
  const args = ['drift', '--reference', REF, '--current', current, '--features', FEATURES.join(','), '--json'];
  const run = spawnSync(process.execPath, [MLMON, ...args], { encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `${current}: exit ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as { features: Record<string, Record<string, number | string>> };
}

// Statistic in `mlmon drift --json` -> the file source's gauge. KS and Wasserstein are left out: the
// exporter computes them from its reference profile's quantiles, the CLI from the raw reference.
const GAUGES: Record<string, string> = {
  psi: 'mlmon_feature_psi',
  jensen_shannon: 'mlmon_feature_jensen_shannon_distance',
  missing_ratio: 'mlmon_feature_missing_ratio',
  new_category_ratio: 'mlmon_feature_new_category_ratio',
  out_of_range_ratio: 'mlmon_feature_out_of_range_ratio',
  mean_shift: 'mlmon_feature_mean_shift',
  std_ratio: 'mlmon_feature_std_ratio',
  n_current: 'mlmon_feature_samples',
};

async function fileSourceMetrics(path: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-parquet-'));
  const config = parseConfig(`
models:
  - name: golden
    reference: { path: ${REF} }
    features: [{ name: x }, { name: level }, { name: color, type: categorical }]
    windows: [1h]
sources:
  - { type: file, name: logs, model: golden, path: '${path}', interval: 1h }
`);
  const { state, sources } = await startState(config, { storagePath: join(dir, 'data') });
  await (sources[0] as FileSource).readOnce();
  return renderMetrics(state);
}

test('mlmon drift reads zstd, gzip and nested Parquet alike, and agrees with the file source', async () => {
  const [zstd, gzip, nested] = ['columns-zstd', 'columns-gzip', 'columns-nested'].map((name) =>
    driftJson(`${FIXTURES}${name}.parquet`),
  );
  assert.deepEqual(gzip.features, zstd.features);
  assert.deepEqual(nested.features, zstd.features);
  const metrics = await fileSourceMetrics(`${FIXTURES}columns-zstd.parquet`);
  let compared = 0;
  for (const feature of FEATURES) {
    for (const [key, gauge] of Object.entries(GAUGES)) {
      const cli = zstd.features[feature][key];
      if (cli === undefined) continue;
      const labels = `model="golden",feature="${feature}",window="1h"`;
      const line = new RegExp(`^${gauge}\\{${labels}\\} (\\S+)$`, 'm').exec(metrics);
      assert.ok(line, `${gauge} for ${feature}`);
      assertClose(Number(line[1]), cli as number, `${feature} ${key}`, 1e-9);
      compared++;
    }
  }
  assert.ok(compared >= 10, `${compared} statistics compared`);
});
