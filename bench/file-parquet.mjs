// File source: reading a Parquet file into window state, rows per second, beside hyparquet reading
// the same rows and columns and doing nothing else, in the same run. The baseline (the goal's) is
// hyparquet reading the same columns of each row group once into row objects; hyparquet into
// decoded columns only is printed too, for information. They alternate (--runs each) and each is
// timed by the wall clock and by the process's CPU time (user + system, all threads): on a loaded
// machine the CPU time is the steadier measure, and the RESULT line gives its medians. Two files:
//   --file synthetic (default): --rows rows (default 500,000) of 10 numeric + 2 categorical
//     columns written by pyarrow (snappy, its default), row groups of 100,000;
//   --file flights: the 3 M-row US flights Parquet of the vega-datasets npm package (written by
//     Polars, zstd; INT64 delay and distance, text origin and destination as features; its date
//     column is no feature and is not decoded), against a reference of its first 200,000 rows.
//   --timestamps: the synthetic file as an inference log: its 12 features plus a `timestamp`
//     (TIMESTAMP(MILLIS), sorted, over the 50 minutes before the run: the file is written anew each
//     run), a `prediction` score of the model and a constant `model_version`; the baseline reads
//     all 15 columns into row objects (hyparquet's defaults: a Date per timestamp). For
//     information, the same with timestamps as numbers (the parsers the source uses) is printed.
// About 1 minute each on an idle 2-core machine (the first run writes or fetches the file).
//   node --import tsx bench/file-parquet.mjs [--file synthetic|flights] [--timestamps] [--rows 500000] [--runs 5]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetReadObjects } from 'hyparquet';
import { parseConfig } from '../exporter/src/config/load.ts';
import { PARQUET_COMPRESSORS } from '../exporter/src/io/parquet-compressors.ts';
import { EPOCH_MS_PARSERS } from '../exporter/src/sources/file/file-parquet.ts';
import { startState } from '../exporter/src/startup.ts';
import { median, writeCsv } from './lib/synthetic.mjs';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: 'synthetic' },
    rows: { type: 'string', default: '500000' },
    runs: { type: 'string', default: '5' },
    timestamps: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
mkdirSync('bench/out', { recursive: true });
const flights = values.file === 'flights';
let rows = Number(values.rows);
let reference = 'bench/out/parquet-reference.csv';
let parquet = `bench/out/current-${rows}.parquet`;
let columns;
const timestamped = values.timestamps && !flights;
if (timestamped) {
  reference = 'bench/out/parquet-timed-reference.csv';
  parquet = `bench/out/timed-${rows}.parquet`;
  // Written anew each run: the times are relative to now.
  execFileSync('python3', [
    '-c',
    `
import time, numpy as np, pyarrow as pa, pyarrow.csv as pc, pyarrow.parquet as pq
def table(n, seed, timed):
    rng = np.random.default_rng(seed)
    cols = {f"n{i}": np.round(rng.normal(i + (0.3 if i == 0 and timed else 0), 1, n), 3) for i in range(10)}
    for i in range(2):
        cols[f"c{i}"] = np.array([f"v{k}" for k in range(20)])[np.floor(rng.random(n) * rng.random(n) * 20).astype(int)]
    cols["prediction"] = np.round(rng.random(n), 4)
    if timed:
        now = int(time.time() * 1000)
        cols["timestamp"] = pa.array(now - 60_000 - (3_000_000 * (n - 1 - np.arange(n))) // n, pa.timestamp("ms", tz="UTC"))
        cols["model_version"] = pa.array(["v7"] * n)
    return pa.table(cols)
pc.write_csv(table(20_000, 11, False), "${reference}")
pq.write_table(table(${rows}, 12, True), "${parquet}", row_group_size=100_000)
`,
  ]);
} else if (flights) {
  parquet = 'bench/out/flights-3m.parquet';
  reference = 'bench/out/flights-reference.csv';
  columns = ['delay', 'distance', 'origin', 'destination'];
  if (!existsSync(parquet)) {
    const tarball = execFileSync('npm', ['pack', 'vega-datasets@3.2.1', '--pack-destination', 'bench/out'], {
      encoding: 'utf8',
    });
    const archive = `bench/out/${tarball.trim()}`;
    execFileSync('tar', [
      '-xzf',
      archive,
      '-C',
      'bench/out',
      '--strip-components=2',
      'package/data/flights-3m.parquet',
    ]);
  }
  if (!existsSync(reference)) {
    execFileSync('python3', [
      '-c',
      `import pyarrow.csv as pc, pyarrow.parquet as pq
t = pq.read_table("${parquet}", columns=${JSON.stringify(columns)}).slice(0, 200_000)
pc.write_csv(t, "${reference}")`,
    ]);
  }
  rows = Number((await parquetMetadataAsync(await asyncBufferFromFile(parquet))).num_rows);
} else {
  if (!existsSync(reference)) await writeCsv(reference, 20_000, 10, 2, 11);
  if (!existsSync(parquet)) {
    // pyarrow writes the file: a different library from the one that reads it.
    execFileSync('python3', [
      '-c',
      `
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
rng = np.random.default_rng(12)
n = ${rows}
cols = {f"n{i}": np.round(rng.normal(i + (0.3 if i == 0 else 0), 1, n), 3) for i in range(10)}
for i in range(2):
    cols[f"c{i}"] = np.array([f"v{k}" for k in range(20)])[np.floor(rng.random(n) * rng.random(n) * 20).astype(int)]
pq.write_table(pa.table(cols), "${parquet}", row_group_size=100_000)
`,
    ]);
  }
}

/** Wall and CPU seconds of `run`. */
async function timed(run) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 };
}

/**
 * The floors: hyparquet reading the same columns of every row group once (a row group decoded in
 * slices is decoded again from its start for each), either into row objects or only into columns.
 */
async function floor(shape) {
  const file = await asyncBufferFromFile(parquet);
  const metadata = await parquetMetadataAsync(file);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const options = { file, metadata, columns, compressors: PARQUET_COMPRESSORS, rowStart, rowEnd };
    if (shape === 'objects') await parquetReadObjects(options);
    else if (shape === 'objects-ms') await parquetReadObjects({ ...options, parsers: EPOCH_MS_PARSERS });
    else await parquetRead({ ...options, onChunk: () => {} });
    rowStart = rowEnd;
  }
}

async function source() {
  rmSync('bench/out/parquet-data', { recursive: true, force: true });
  const config = parseConfig(`
models:
  - name: bench
    reference: { path: ${process.cwd()}/${reference} }${timestamped ? '\n    prediction: { name: prediction }' : ''}
    windows: [1h, 24h]
sources:
  - { type: file, name: parquet, model: bench, path: ${process.cwd()}/${parquet}, interval: 1h }
`);
  const { state, sources } = await startState(config, { storagePath: 'bench/out/parquet-data' });
  const time = await timed(() => sources[0].readOnce());
  const counted = state.models.get('bench').windows.recordsTotal;
  if (counted !== rows) throw new Error(`counted ${counted} of ${rows} rows`);
  return time;
}

const floors = timestamped ? { objects: [], 'objects-ms': [], columns: [] } : { objects: [], columns: [] };
const sources = [];
for (let run = 0; run < runs; run++) {
  floors.objects.push(await timed(() => floor('objects')));
  floors.columns.push(await timed(() => floor('columns')));
  if (timestamped) floors['objects-ms'].push(await timed(() => floor('objects-ms')));
  sources.push(await source());
}
const rate = (s) => Math.round(rows / s).toLocaleString('en');
console.log(
  `${parquet}: ${rows.toLocaleString('en')} rows, ${flights ? '4 of 5' : timestamped ? '15' : '12'} columns, median of ${runs} alternating runs`,
);
for (const clock of ['wall', 'cpu']) {
  const s = median(sources.map((t) => t[clock]));
  console.log(`${clock.padEnd(4)} file source into window state: ${s.toFixed(2)} s, ${rate(s)} rows/s`);
  for (const shape of Object.keys(floors)) {
    const f = median(floors[shape].map((t) => t[clock]));
    const paired = floors[shape].map((t, i) => t[clock] / sources[i][clock]).sort((a, b) => a - b);
    console.log(
      `${clock.padEnd(4)} hyparquet alone, into ${shape.padEnd(10)} ${f.toFixed(2)} s, ${rate(f)} rows/s: source ${(f / s).toFixed(2)}× (runs ${paired[0].toFixed(2)}–${paired.at(-1).toFixed(2)}×)`,
    );
  }
}
const cpuSource = median(sources.map((t) => t.cpu));
const cpuFloor = median(floors.objects.map((t) => t.cpu));
const ratio = Number((cpuFloor / cpuSource).toFixed(3));
const result = {
  row: flights ? 'parquet-flights' : timestamped ? 'parquet-timestamped' : 'parquet-synthetic',
  value: Math.round(rows / cpuSource),
  unit: 'rows/s',
  baseline: Math.round(rows / cpuFloor),
  ratio,
  goal: 'ratio>=0.8',
  met: ratio >= 0.8,
};
console.log(`RESULT ${JSON.stringify(result)}`);
