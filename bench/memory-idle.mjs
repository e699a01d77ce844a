// Idle memory: RSS of the exporter running its embedded demo (no --config.file: the demo model
// with its traffic), 15 s after start, beside the RSS of a bare `node` process idling in the same
// run, and what the exporter's heap holds (process_* / nodejs_* families of its own /metrics).
// --bin runs another mlmon-exporter, e.g. an installed package's (built JavaScript): in a clone the
// bin runs the TypeScript sources through tsx.
//   node bench/memory-idle.mjs [--after 15] [--bin path/to/bin/mlmon-exporter.mjs] [-- node flags]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const { values, positionals } = parseArgs({
  options: { after: { type: 'string', default: '15' }, bin: { type: 'string' } },
  allowPositionals: true,
});
const AFTER_MS = Number(values.after) * 1000;
const EXPORTER = values.bin ?? fileURLToPath(new URL('../exporter/bin/mlmon-exporter.mjs', import.meta.url));
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Starts `args`, waits for `ready` on its stdout (if any), then AFTER_MS, and returns its RSS. */
async function idleRss(args, ready) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const started = Date.now();
  if (ready) while (!ready.test(out) && Date.now() - started < 60_000) await sleep(50);
  await sleep(Math.max(0, AFTER_MS - (Date.now() - started)));
  const rss = rssMiB(child.pid);
  const url = /metrics at (http:\/\/\S+)\/metrics/.exec(out)?.[1];
  const metrics = url ? await (await fetch(`${url}/metrics`)).text() : '';
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { rss, metrics };
}

const storage = mkdtempSync(join(tmpdir(), 'mlmon-bench-idle-'));
const bare = await idleRss(['-e', 'setInterval(() => {}, 1000)']);
const demo = await idleRss(
  [...positionals, EXPORTER, '--web.listen-address=127.0.0.1:0', `--storage.path=${storage}`],
  /metrics at http/,
);
rmSync(storage, { recursive: true, force: true });
const sample = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(demo.metrics)?.[1] ?? NaN) / 2 ** 20;
console.log(`after ${AFTER_MS / 1000} s idle; ${EXPORTER} ${positionals.join(' ')}`);
console.log(`exporter, demo model   RSS ${demo.rss.toFixed(0)} MiB  (${(demo.rss / bare.rss).toFixed(1)}× bare node)`);
console.log(`bare node              RSS ${bare.rss.toFixed(0)} MiB`);
console.log(
  `exporter heap used ${sample('nodejs_heap_size_used_bytes').toFixed(0)} MiB of ${sample('nodejs_heap_size_total_bytes').toFixed(0)} MiB, external ${sample('nodejs_external_memory_bytes').toFixed(0)} MiB`,
);
