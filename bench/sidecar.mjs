// Every row of the sidecar-cost table in one run: each benchmark script below ends by printing
// one `RESULT {json}` line per goal (its figure, the baseline measured in the same run, the ratio
// and whether the goal holds). This script runs them one after another, keeps their full output
// in bench/out/sidecar-<name>.log and prints the rows side by side.
//   node bench/sidecar.mjs [--only scrape,ingest]
// Run it on an otherwise idle machine: the benchmarks share its 2 cores with nothing but
// their own baselines. It takes about 20-30 minutes.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const BENCHMARKS = [
  { name: 'startup', args: ['bench/startup.mjs'] },
  { name: 'idle', args: ['bench/memory-idle.mjs'] },
  { name: 'scrape', args: ['bench/scrape.mjs'] },
  { name: 'ingest', args: ['bench/ingest.mjs'] },
  { name: 'memory', args: ['bench/memory.mjs'] },
  { name: 'postgres', args: ['--import', 'tsx', 'bench/postgres.mjs'] },
  { name: 'parquet-flights', args: ['--import', 'tsx', 'bench/file-parquet.mjs', '--file', 'flights'] },
  { name: 'parquet-synthetic', args: ['--import', 'tsx', 'bench/file-parquet.mjs', '--rows', '500000'] },
  { name: 'parquet-timestamped', args: ['--import', 'tsx', 'bench/file-parquet.mjs', '--timestamps'] },
];

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = values.only?.split(',');
const chosen = BENCHMARKS.filter((b) => !only || only.includes(b.name));
mkdirSync('bench/out', { recursive: true });

/** Runs one benchmark, echoing nothing but keeping its output; resolves to its RESULT rows. */
function run({ name, args }) {
  return new Promise((resolve) => {
    const log = createWriteStream(`bench/out/sidecar-${name}.log`);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const results = [];
    let pending = '';
    child.stdout.on('data', (chunk) => {
      log.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (line.startsWith('RESULT ')) results.push(JSON.parse(line.slice('RESULT '.length)));
      }
    });
    child.stderr.pipe(log, { end: false });
    child.on('close', (code) => {
      log.end();
      resolve({ code, results });
    });
  });
}

const rows = [];
for (const benchmark of chosen) {
  const started = Date.now();
  const load = loadavg()[0].toFixed(1);
  const { code, results } = await run(benchmark);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`${benchmark.name}: exit ${code}, ${seconds} s, load average ${load} at start`);
  if (code !== 0 || results.length === 0) {
    rows.push({ bench: benchmark.name, row: '(failed: see the log)', met: false });
  }
  for (const result of results) rows.push({ bench: benchmark.name, ...result });
}

const format = (x) => (x === null || x === undefined ? '' : typeof x === 'number' ? String(+x.toPrecision(4)) : x);
console.log('\n| row | value | baseline | ratio | goal | met |\n|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.row} | ${format(r.value)} ${r.unit ?? ''} | ${format(r.baseline)} | ${format(r.ratio)} | ${r.goal ?? ''} | ${r.met ? 'yes' : 'NO'} |`,
  );
}
const met = rows.filter((r) => r.met).length;
console.log(`\n${met} of ${rows.length} goals met`);
process.exitCode = met === rows.length ? 0 : 1;
