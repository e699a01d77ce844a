// Start-up: wall time of `mlmon --help`, `mlmon-exporter --help` and `--version` from the built
// bins (dist/, built first when stale), and of `mlmon --help` from the TypeScript sources through
// tsx (how a clone ran it before), beside `node -e 0` in the same run. The commands take turns,
// run after run; each figure is the median of its runs, with its ratio to node's median.
//   node bench/startup.mjs [--runs 21]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildIfStale } from '../exporter/scripts/build.mjs';
import { median } from './lib/synthetic.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' } } });
const RUNS = Number(values.runs);
await buildIfStale();

const COMMANDS = {
  'node -e 0 (baseline)': ['-e', '0'],
  'mlmon --help': ['exporter/bin/mlmon.mjs', '--help'],
  'mlmon-exporter --help': ['exporter/bin/mlmon-exporter.mjs', '--help'],
  'mlmon-exporter --version': ['exporter/bin/mlmon-exporter.mjs', '--version'],
  'mlmon --help, sources via tsx': ['exporter/scripts/dev-mlmon.mjs', '--help'],
};

const times = Object.fromEntries(Object.keys(COMMANDS).map((name) => [name, []]));
for (let run = -1; run < RUNS; run++) {
  for (const [name, args] of Object.entries(COMMANDS)) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== 0) throw new Error(`${name} exited with ${result.status}`);
    if (run >= 0) times[name].push(seconds); // run -1 warms the file cache
  }
}
const baseline = median(times['node -e 0 (baseline)']);
console.log(`median of ${RUNS} runs each, interleaved; load average ${loadavg()[0].toFixed(1)}`);
for (const [name, list] of Object.entries(times)) {
  const m = median(list);
  console.log(`${name.padEnd(32)} ${(m * 1000).toFixed(0).padStart(5)} ms  ${(m / baseline).toFixed(2)}× node -e 0`);
}
const help = median(times['mlmon --help']);
console.log(
  `RESULT ${JSON.stringify({ row: 'help', value: Math.round(help * 1000), unit: 'ms', baseline: Math.round(baseline * 1000), ratio: Math.round((help / baseline) * 100) / 100, goal: '<=300 ms', met: help <= 0.3 })}`,
);
