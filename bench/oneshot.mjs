// One-shot: `mlmon drift` on two CSV files of 500,000 rows (10 numeric + 2 categorical columns)
// beside bench/oneshot_numpy.py doing the same work with numpy/scipy, timed by hyperfine
// (Debian package) in the same run. mlmon is the built package's bin (bench/lib/built-bin.mjs);
// --bin runs another, e.g. exporter/bin/mlmon.mjs (the sources through tsx).
//   node bench/oneshot.mjs [--rows 500000] [--runs 5] [--bin path/to/mlmon.mjs]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { builtMlmonBin } from './lib/built-bin.mjs';
import { writeCsv } from './lib/synthetic.mjs';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '500000' },
    runs: { type: 'string', default: '5' },
    bin: { type: 'string' },
  },
});
const rows = Number(values.rows);
mkdirSync('bench/out', { recursive: true });
const ref = `bench/out/oneshot-ref-${rows}.csv`;
const cur = `bench/out/oneshot-cur-${rows}.csv`;
if (!existsSync(ref)) await writeCsv(ref, rows, 10, 2, 7);
if (!existsSync(cur)) await writeCsv(cur, rows, 10, 2, 8, 0.5);

const mlmon = `node ${values.bin ?? builtMlmonBin()} drift --reference ${ref} --current ${cur} --json`;
const numpy = `python3 bench/oneshot_numpy.py ${ref} ${cur}`;
execFileSync(
  'hyperfine',
  [
    '--runs',
    values.runs,
    '--warmup',
    '1',
    '-i',
    '--export-json',
    'bench/out/oneshot.json',
    '-n',
    'mlmon drift',
    mlmon,
    '-n',
    'numpy/scipy',
    numpy,
  ],
  { stdio: 'inherit' },
);
const results = JSON.parse(readFileSync('bench/out/oneshot.json', 'utf8')).results;
const [a, b] = results.map((r) => r.median);
console.log(
  `\n${rows.toLocaleString('en')} rows per file: mlmon drift median ${a.toFixed(2)} s, numpy/scipy median ${b.toFixed(2)} s, ratio ${(a / b).toFixed(2)}`,
);
