// Idle memory: RSS of the exporter running its embedded demo (no --config.file: the demo model
// with its traffic), 15 s after start, beside the RSS of a bare `node` process idling in the same
// run, and what the exporter's heap holds (process_* / nodejs_* families of its own /metrics).
// The exporter runs twice: with the Node.js flags of npm start and the image
// (exporter/scripts/node-flags.mjs) and with Node's defaults. The bin runs the built dist/ (built
// first when stale); --bin runs another mlmon-exporter, e.g. an installed package's. Node flags
// after `--` replace those of npm start in the first run.
//   node bench/memory-idle.mjs [--after 15] [--bin path/to/bin/mlmon-exporter.mjs] [-- node flags]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildIfStale } from '../exporter/scripts/build.mjs';
import { EXPORTER_NODE_FLAGS } from '../exporter/scripts/node-flags.mjs';

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

if (!values.bin) await buildIfStale();
const flags = positionals.length > 0 ? positionals : EXPORTER_NODE_FLAGS;
const bare = await idleRss(['-e', 'setInterval(() => {}, 1000)']);
const runs = [];
for (const nodeFlags of [flags, []]) {
  const storage = mkdtempSync(join(tmpdir(), 'mlmon-bench-idle-'));
  const demo = await idleRss(
    [...nodeFlags, EXPORTER, '--web.listen-address=127.0.0.1:0', `--storage.path=${storage}`],
    /metrics at http/,
  );
  rmSync(storage, { recursive: true, force: true });
  runs.push({ nodeFlags, ...demo });
}
console.log(`after ${AFTER_MS / 1000} s idle; ${EXPORTER}; load average ${loadavg()[0].toFixed(1)}`);
console.log(`bare node                    RSS ${bare.rss.toFixed(0)} MiB`);
for (const { nodeFlags, rss, metrics } of runs) {
  const sample = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN) / 2 ** 20;
  console.log(
    `exporter, demo model         RSS ${rss.toFixed(0)} MiB  (${(rss / bare.rss).toFixed(1)}× bare node), ` +
      `node flags: ${nodeFlags.join(' ') || "none (V8's defaults)"}; ` +
      `heap used ${sample('nodejs_heap_size_used_bytes').toFixed(0)} MiB of ${sample('nodejs_heap_size_total_bytes').toFixed(0)} MiB, ` +
      `external ${sample('nodejs_external_memory_bytes').toFixed(0)} MiB`,
  );
}
