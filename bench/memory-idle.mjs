// Idle memory: RSS of the exporter running its embedded demo (no --config.file: the demo model
// with its traffic), 15 s after start, beside the RSS of a bare `node` process idling in the same
// run, and where it goes: file-backed pages (mostly node's own binary: its code and data paged
// in), anonymous ones (V8's heap, malloc), and what the exporter's heap holds (the nodejs_*
// families of its own /metrics, scraped once after the measurement; the RSS after that first
// scrape is shown too).
// Each round starts three processes side by side: bare node, the exporter as `npm start` and the
// image run it (the Node.js flags and environment of exporter/scripts/node-flags.mjs), and the
// exporter with Node's defaults. The goal row takes the largest of the rounds' `npm start` RSS.
// The bin runs the built dist/ (built first when stale); --bin runs another mlmon-exporter, e.g.
// an installed package's. Node flags after `--` replace those of npm start.
//   node bench/memory-idle.mjs [--after 15] [--rounds 3] [--bin path/to/bin/mlmon-exporter.mjs] [-- node flags]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildIfStale } from '../exporter/scripts/build.mjs';
import { EXPORTER_ENV, EXPORTER_NODE_FLAGS } from '../exporter/scripts/node-flags.mjs';
import { median } from './lib/synthetic.mjs';

const { values, positionals } = parseArgs({
  options: {
    after: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '3' },
    bin: { type: 'string' },
  },
  allowPositionals: true,
});
const AFTER_MS = Number(values.after) * 1000;
const GOAL_MIB = 80;
const EXPORTER = values.bin ?? fileURLToPath(new URL('../exporter/bin/mlmon-exporter.mjs', import.meta.url));

/** VmRSS, RssFile and RssAnon of `pid`, in MiB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]) / 1024;
  return { rss: field('VmRSS'), file: field('RssFile'), anon: field('RssAnon') };
}

/** Starts `args` with `env`, waits for `ready` on its stdout (if any), then until AFTER_MS after start. */
async function idle(args, env, ready) {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const started = Date.now();
  if (ready) while (!ready.test(out) && Date.now() - started < 60_000) await sleep(50);
  await sleep(Math.max(0, AFTER_MS - (Date.now() - started)));
  const measured = memory(child.pid);
  const url = /metrics at (http:\/\/\S+)\/metrics/.exec(out)?.[1];
  const metrics = url ? await (await fetch(`${url}/metrics`)).text() : '';
  // The first scrape loads what only /metrics needs (prom-client's runtime families): its RSS too.
  const scraped = memory(child.pid).rss;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const sample = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN) / 2 ** 20;
  return {
    ...measured,
    scraped,
    heapUsed: sample('nodejs_heap_size_used_bytes'),
    heapTotal: sample('nodejs_heap_size_total_bytes'),
    external: sample('nodejs_external_memory_bytes'),
  };
}

async function exporter(nodeFlags, env) {
  const storage = mkdtempSync(join(tmpdir(), 'mlmon-bench-idle-'));
  try {
    return await idle(
      [...nodeFlags, EXPORTER, '--web.listen-address=127.0.0.1:0', `--storage.path=${storage}`],
      env,
      /metrics at http/,
    );
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
}

if (!values.bin) await buildIfStale();
const npmStart = { flags: positionals.length > 0 ? positionals : EXPORTER_NODE_FLAGS, env: EXPORTER_ENV };
const runs = { bare: [], npmStart: [], defaults: [] };
const loads = [];
for (let round = 0; round < Number(values.rounds); round++) {
  const [bare, started, defaults] = await Promise.all([
    idle(['-e', 'setInterval(() => {}, 1000)'], {}),
    exporter(npmStart.flags, npmStart.env),
    exporter([], {}),
  ]);
  runs.bare.push(bare);
  runs.npmStart.push(started);
  runs.defaults.push(defaults);
  loads.push(loadavg()[0]);
}

const mib = (x) => `${x.toFixed(1)} MiB`;
const bareRss = median(runs.bare.map((r) => r.rss));
console.log(
  `after ${AFTER_MS / 1000} s idle, ${values.rounds} rounds; ${EXPORTER}; ` +
    `load average ${loads.map((l) => l.toFixed(1)).join(', ')}`,
);
const environment = Object.entries(npmStart.env).map(([k, v]) => `${k}=${v}`);
for (const [name, label] of [
  ['bare', 'bare node'],
  ['npmStart', `exporter, demo, as npm start (${[...environment, ...npmStart.flags].join(' ')})`],
  ['defaults', "exporter, demo, Node's defaults"],
]) {
  const list = runs[name];
  const med = (key) => median(list.map((r) => r[key]));
  console.log(`${label}:`);
  console.log(
    `  RSS ${list.map((r) => r.rss.toFixed(1)).join(' / ')} MiB (median ${mib(med('rss'))}, ` +
      `${(med('rss') / bareRss).toFixed(2)}× bare node): file-backed ${mib(med('file'))}, anonymous ${mib(med('anon'))}` +
      (name === 'bare'
        ? ''
        : `; V8 heap used ${mib(med('heapUsed'))} of ${mib(med('heapTotal'))}, external ${mib(med('external'))}; ` +
          `RSS after one scrape ${list.map((r) => r.scraped.toFixed(1)).join(' / ')} MiB`),
  );
}
const worst = Math.max(...runs.npmStart.map((r) => r.rss));
const result = {
  row: 'idle-rss',
  value: Math.round(worst * 10) / 10,
  unit: 'MiB',
  baseline: Math.round(bareRss * 10) / 10,
  ratio: Math.round((worst / bareRss) * 100) / 100,
  goal: `<=${GOAL_MIB} MiB (largest of the rounds)`,
  met: worst <= GOAL_MIB,
};
console.log(`RESULT ${JSON.stringify(result)}`);
