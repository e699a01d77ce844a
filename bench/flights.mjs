// `mlmon drift` on real data beside pandas + numpy/scipy computing the same statistics on the same
// files, interleaved in one run (best of --runs): US flights, January vs June 2001 (508k and 502k
// rows; delay, distance, hour numeric, origin categorical), cut from the 3 M-row Parquet file that
// the vega-datasets npm package ships. Prints wall and CPU time and peak RSS of each, their ratios,
// the load average, and how far mlmon's statistics are from pandas/scipy's.
// mlmon runs as users install it: the package is built (npm run build) and its bin run from a copy
// without the TypeScript sources, so the built JavaScript runs (--bin runs another, e.g. the
// clone's exporter/bin/mlmon.mjs through tsx). --duckdb adds bench/flights-duckdb.mjs (the same
// work inside DuckDB, which needs `npm install --no-save @duckdb/node-api`).
//   node bench/flights.mjs [--runs 3] [--format csv|parquet] [--bin path/to/mlmon.mjs] [--duckdb]
// Needs python3 with pandas, pyarrow and scipy (pip install pandas pyarrow scipy).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { builtMlmonBin } from './lib/built-bin.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    format: { type: 'string', default: 'csv' },
    bin: { type: 'string' },
    duckdb: { type: 'boolean', default: false },
  },
});
const OUT = 'bench/out';
mkdirSync(OUT, { recursive: true });
if (!existsSync(`${OUT}/flights-3m.parquet`)) {
  const tarball = execFileSync('npm', ['pack', 'vega-datasets@3.2.1', '--pack-destination', OUT], { encoding: 'utf8' });
  execFileSync('tar', [
    '-xzf',
    `${OUT}/${tarball.trim()}`,
    '-C',
    OUT,
    '--strip-components=2',
    'package/data/flights-3m.parquet',
  ]);
}
if (!existsSync(`${OUT}/flights-june.parquet`)) {
  execFileSync('python3', ['bench/flights_prepare.py', `${OUT}/flights-3m.parquet`, OUT], { stdio: 'inherit' });
}

const ref = `${OUT}/flights-january.${values.format}`;
const cur = `${OUT}/flights-june.${values.format}`;
const bin = values.bin ?? builtMlmonBin(OUT);
const commands = {
  'mlmon drift': ['node', bin, 'drift', '--reference', ref, '--current', cur, '--json'],
  'pandas + scipy': ['python3', 'bench/flights_pandas.py', ref, cur],
};
if (values.duckdb) commands['duckdb (no report)'] = ['node', 'bench/flights-duckdb.mjs', ref, cur];
const loadBefore = loadavg();

/** Wall seconds, CPU seconds (user + sys), peak RSS (MiB) and stdout of one run, from GNU time. */
function timing() {
  const [seconds, kib, user, sys] = readFileSync(`${OUT}/time.txt`, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  return { seconds, mib: kib / 1024, cpu: user + sys };
}

function measure(argv) {
  const stdout = execFileSync('/usr/bin/time', ['-f', '%e %M %U %S', '-o', `${OUT}/time.txt`, ...argv], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    // mlmon exits 1 on dataset drift: that is an answer, not a failure.
    stdio: ['ignore', 'pipe', 'inherit'],
  }).toString();
  return { ...timing(), stdout };
}

function run(argv) {
  try {
    return measure(argv);
  } catch (err) {
    if (err.status === 1 && err.stdout) return { ...timing(), stdout: err.stdout.toString() };
    throw err;
  }
}

const best = {};
const outputs = {};
for (let i = 0; i < Number(values.runs); i++) {
  for (const [name, argv] of Object.entries(commands)) {
    const result = run(argv);
    outputs[name] = result.stdout;
    const prev = best[name];
    best[name] = prev
      ? {
          seconds: Math.min(prev.seconds, result.seconds),
          cpu: Math.min(prev.cpu, result.cpu),
          mib: Math.max(prev.mib, result.mib),
        }
      : result;
    console.log(
      `run ${i + 1} ${name}: ${result.seconds.toFixed(2)} s wall, ${result.cpu.toFixed(2)} s CPU, ${result.mib.toFixed(0)} MiB`,
    );
  }
}

const mlmon = JSON.parse(outputs['mlmon drift']).features;
const pandas = JSON.parse(outputs['pandas + scipy']).features;
let worst = { key: '', rel: 0 };
for (const [feature, expected] of Object.entries(pandas)) {
  for (const [key, value] of Object.entries(expected)) {
    if (typeof value !== 'number' || mlmon[feature]?.[key] === undefined) continue;
    const rel = Math.abs(mlmon[feature][key] - value) / Math.max(Math.abs(value), 1e-300);
    if (rel > worst.rel) worst = { key: `${feature}.${key}`, rel };
  }
}
const [a, b] = [best['mlmon drift'], best['pandas + scipy']];
const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
console.log(
  `\nflights January vs June (${values.format}), best of ${values.runs}, load average ${load(loadBefore)} before, ` +
    `${load(loadavg())} after; ${bin}\n` +
    `mlmon drift     ${a.seconds.toFixed(2)} s wall, CPU ${a.cpu.toFixed(2)} s, peak ${a.mib.toFixed(0)} MiB\n` +
    `pandas + scipy  ${b.seconds.toFixed(2)} s wall, CPU ${b.cpu.toFixed(2)} s, peak ${b.mib.toFixed(0)} MiB\n` +
    `ratio mlmon / pandas: wall ${(a.seconds / b.seconds).toFixed(2)}, CPU ${(a.cpu / b.cpu).toFixed(2)} ` +
    `(goal: both <= 0.5 and peak <= 300 MB: ${a.seconds / b.seconds <= 0.5 && a.cpu / b.cpu <= 0.5 && a.mib * 1.048576 <= 300 ? 'met' : 'not met'}); ` +
    `largest relative difference of a statistic: ${worst.rel.toExponential(1)} (${worst.key || 'none'})`,
);
const duck = best['duckdb (no report)'];
if (duck) {
  console.log(
    `duckdb          ${duck.seconds.toFixed(2)} s wall, CPU ${duck.cpu.toFixed(2)} s, peak ${duck.mib.toFixed(0)} MiB ` +
      `(load + edges + bins + exact KS/Wasserstein, DuckDB's own CSV types; no p-values, fine bins or report)`,
  );
}
