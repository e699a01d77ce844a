// Memory: RSS of a real exporter process (the built bin, as npm start and the image run it) with
// `--models` models of `--numeric` + `--categorical` features (windows 1h and 24h), at start-up and
// after 1 million and `--records` (10 million) records, each followed by a scrape of /metrics;
// beside the README's bound in the same run: 2 × (RSS of a bare idle `node` + the window memory by
// the README's formula, "Windows and memory" in exporter/README.md). Records are timestamped across
// the last 24 h so that every slice of both windows fills; two connections send them; window
// snapshots are written every 30 s meanwhile (the default interval). RSS is also sampled every
// second while they do (median and maximum), and each checkpoint says where the memory is: V8's
// heap and the typed arrays (the exporter's own nodejs_* metrics) and anonymous memory
// (/proc/<pid>/smaps_rollup). Ends with RESULT rows: memory-1M, memory-10M (RSS after each
// checkpoint; the second also ≤ 1.1 × the first: flat) and memory-peak (the highest sample).
// About 4 minutes on an idle 2-core machine.
//   node bench/memory.mjs [--records 10000000] [--models 10] [--numeric 50] [--categorical 2]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeRow, rowGenerator, writeCsv } from './lib/synthetic.mjs';
import { startExporter } from './lib/exporter.mjs';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '10000000' },
    models: { type: 'string', default: '10' },
    numeric: { type: 'string', default: '50' },
    categorical: { type: 'string', default: '2' },
  },
});
const [TOTAL, MODELS, NUMERIC, CATEGORICAL] = [values.records, values.models, values.numeric, values.categorical].map(
  Number,
);
const BATCH = 5000;
const SETTLE_MS = 15_000;
const CONNECTIONS = 2; // the default ingest.max_concurrent_ingest
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const MiB = 2 ** 20;

/** exporter/README.md "Windows and memory", with the config defaults (bins 10, fine_bins 100, max_categories 50, 60 slices). */
function windowFormulaMiB({ windows = 2, slices = 60, bins = 10, fineBins = 100, maxCategories = 50 } = {}) {
  const numericCounters = 7 + bins + 2 * (fineBins + 6) + 1 + 2; // + its min and max
  const categoricalCounters = 4 + maxCategories + 1;
  const counters = NUMERIC * numericCounters + CATEGORICAL * categoricalCounters;
  return (MODELS * windows * slices * counters * 8) / 2 ** 20;
}

/** RSS of a bare `node` idling, 5 s after its start. */
async function bareNodeRss() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await sleep(5000);
  const rss = rssOf(child.pid);
  child.kill();
  return rss;
}

mkdirSync('bench/out', { recursive: true });
await writeCsv('bench/out/memory-reference.csv', 20_000, NUMERIC, CATEGORICAL, 5);
// Names of one width, so that a request body is retargeted by overwriting the name's digits.
const modelName = (i) => `m${String(i).padStart(String(MODELS - 1).length, '0')}`;
const models = Array.from(
  { length: MODELS },
  (_, i) => `  - name: ${modelName(i)}\n    reference: { path: memory-reference.csv }\n    windows: [1h, 24h]\n`,
);
writeFileSync('bench/out/memory.yml', `models:\n${models.join('')}`);
const bare = await bareNodeRss();
const formula = windowFormulaMiB();
const bound = 2 * (bare + formula);
rmSync('bench/out/data', { recursive: true, force: true }); // no windows restored from an earlier run
const exporter = await startExporter('bench/out/memory.yml');
// Never leave it running (it would write snapshots into the next run's storage folder).
process.on('exit', () => exporter.stop());
process.once('SIGINT', () => process.exit(130));
const rss = () => rssOf(exporter.pid);

// A fixed pool of request bodies, records 1 s apart over the last 22 h, made once: generating and
// serialising 10 M fresh rows would measure the generator. A body is sent to another model by a
// copy with the model name's digits overwritten (a memcpy, not a string replace).
const random = rowGenerator(6);
const startedAt = Date.now();
const POOL = 16;
const pool = Array.from({ length: POOL }, (_, b) =>
  Buffer.from(
    Array.from({ length: BATCH }, (_, i) =>
      JSON.stringify({
        model: modelName(0),
        features: makeRow(random, NUMERIC, CATEGORICAL),
        timestamp: startedAt - ((b * BATCH + i) % 80_000) * 1000,
      }),
    ).join('\n'),
  ),
);
const nameAt = pool.map((body) => {
  const marker = Buffer.from(`"model":"${modelName(0)}"`);
  const positions = [];
  for (let at = body.indexOf(marker); at >= 0; at = body.indexOf(marker, at + 1))
    positions.push(at + marker.length - modelName(0).length - 1);
  return positions;
});
function bodyFor(batch) {
  const body = Buffer.from(pool[batch % POOL]);
  const name = Buffer.from(modelName(batch % MODELS));
  for (const at of nameAt[batch % POOL]) name.copy(body, at);
  return body;
}

const ofBound = (value) => `${value.toFixed(0)} MiB (${(value / bound).toFixed(2)})`;
const report = (label, value) => console.log(`${label.padEnd(44)} RSS ${ofBound(value)}`);

/** Where the exporter's memory is: its own runtime metrics and the kernel's anonymous memory. */
async function breakdown() {
  const text = await (await fetch(`${exporter.url}/metrics`)).text();
  const metric = (name) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / MiB;
  const rollup = readFileSync(`/proc/${exporter.pid}/smaps_rollup`, 'utf8');
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? NaN) / 1024;
  const parts = {
    'V8 heap': metric('nodejs_heap_size_total_bytes'),
    used: metric('nodejs_heap_size_used_bytes'),
    'external (typed arrays, buffers)': metric('nodejs_external_memory_bytes'),
    anonymous: kib('Anonymous'),
    'file-backed': kib('Rss') - kib('Anonymous'),
  };
  return Object.entries(parts)
    .map(([name, value]) => `${name} ${value.toFixed(0)}`)
    .join(', ');
}

// RSS every second while records arrive (and window snapshots are written every 30 s).
let samples = [];
const sampler = setInterval(() => samples.push(rss()), 1000);
console.log(
  `${MODELS} models × ${NUMERIC + CATEGORICAL} features (${NUMERIC} numeric, ${CATEGORICAL} categorical) × 2 windows; ` +
    `load average ${loadavg()[0].toFixed(1)}`,
);
console.log(`bare node RSS ${bare.toFixed(0)} MiB; window memory by the README's formula ${formula.toFixed(0)} MiB`);
console.log(`bound: 2 × (bare node + formula) = ${bound.toFixed(0)} MiB (RSS as a fraction of it in brackets)`);
report('start-up', rss());
console.log(`  MiB: ${await breakdown()}`);
const scrape = async () => {
  const response = await fetch(`${exporter.url}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  await response.text();
};
let batches = 0;
let peak = 0;
const after = new Map();
const checkpoints = [1_000_000, TOTAL].filter((n, i, all) => n <= TOTAL && all.indexOf(n) === i);
for (const checkpoint of checkpoints) {
  const send = async () => {
    while (batches * BATCH < checkpoint) {
      const response = await fetch(`${exporter.url}/api/v1/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: bodyFor(batches++),
      });
      if (!response.ok) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  const sendingSince = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, send));
  const sent = batches * BATCH;
  const perSecond = (sent - (after.size ? checkpoints[after.size - 1] : 0)) / ((Date.now() - sendingSince) / 1000);
  await scrape();
  const seconds = (Date.now() - startedAt) / 1000;
  const sorted = samples.sort((a, b) => a - b);
  peak = Math.max(peak, sorted.at(-1) ?? 0);
  console.log(
    `while sending up to ${sent.toLocaleString('en')} records (${Math.round(perSecond).toLocaleString('en')}/s, ` +
      `${sorted.length} samples): RSS median ${ofBound(sorted[sorted.length >> 1])}, max ${ofBound(sorted.at(-1))}`,
  );
  const value = rss();
  after.set(checkpoint, value);
  report(`after ${sent.toLocaleString('en')} records + a scrape (${seconds.toFixed(0)} s)`, value);
  console.log(`  MiB: ${await breakdown()}; load average ${loadavg()[0].toFixed(1)}`);
  // Again after a quiet moment: whether V8 gives the ingest's garbage back by itself (its memory
  // reducer acts some seconds after allocation slows down; within 15 s it mostly had not).
  await sleep(SETTLE_MS);
  console.log(`  ${SETTLE_MS / 1000} s later, idle: RSS ${ofBound(rss())}; MiB: ${await breakdown()}`);
  samples = [];
}
clearInterval(sampler);
exporter.stop();
await exporter.exited();
console.log(`load average ${loadavg()[0].toFixed(1)}`);

const result = (row, value, goal, met) =>
  console.log(
    `RESULT ${JSON.stringify({ row, value: Math.round(value), unit: 'MiB', baseline: Math.round(bound), ratio: Number((value / bound).toFixed(2)), goal, met })}`,
  );
const first = after.get(checkpoints[0]);
const last = after.get(checkpoints.at(-1));
result('memory-1M', first, 'ratio<=1', first <= bound);
if (checkpoints.length > 1) {
  const label = `memory-${TOTAL % 1_000_000 === 0 ? `${TOTAL / 1_000_000}M` : TOTAL}`;
  result(label, last, `ratio<=1 and <=1.1 × memory-1M (flat)`, last <= bound && last <= 1.1 * first);
}
result('memory-peak', peak, 'ratio<=1 (highest RSS sampled while sending)', peak <= bound);
