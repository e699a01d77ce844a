// Memory: RSS of a real exporter process (the built bin, as npm start and the image run it) with
// `--models` models of `--numeric` + `--categorical` features (windows 1h and 24h), at start-up and
// after 1 million and 10 million records, each followed by a scrape of /metrics; beside the
// README's bound in the same run: 2 × (RSS of a bare idle `node` + the window memory by the
// README's formula, "Windows and memory" in exporter/README.md). Records are timestamped across the
// last 24 h so that every slice of both windows fills; two connections send them. RSS is also
// sampled every second while they do (median and maximum).
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
const CONNECTIONS = 2; // the default ingest.max_concurrent_ingest
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

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
const models = Array.from(
  { length: MODELS },
  (_, i) => `  - name: m${i}\n    reference: { path: memory-reference.csv }\n    windows: [1h, 24h]\n`,
);
writeFileSync('bench/out/memory.yml', `models:\n${models.join('')}`);
const bare = await bareNodeRss();
const formula = windowFormulaMiB();
const bound = 2 * (bare + formula);
rmSync('bench/out/data', { recursive: true, force: true }); // no windows restored from an earlier run
const exporter = await startExporter('bench/out/memory.yml');
const rss = () => rssOf(exporter.pid);

// A fixed pool of request bodies, timestamps spread over the last 24 h: generating and
// serialising 10 M fresh rows would measure the generator.
const random = rowGenerator(6);
const startedAt = Date.now();
const pool = Array.from({ length: 16 }, (_, b) =>
  Array.from({ length: BATCH }, (_, i) =>
    JSON.stringify({
      model: 'm0',
      features: makeRow(random, NUMERIC, CATEGORICAL),
      timestamp: startedAt - ((b * BATCH + i) % 85_000) * 1000,
    }),
  ).join('\n'),
);
const bodyFor = (batch) => pool[batch % pool.length].replaceAll('"model":"m0"', `"model":"m${batch % MODELS}"`);

const ofBound = (value) => `${value.toFixed(0)} MiB (${(value / bound).toFixed(2)})`;
const report = (label, value) => console.log(`${label.padEnd(44)} RSS ${ofBound(value)}`);
// RSS every second while records arrive: a window snapshot (every 30 s) copies every ring, so
// RSS rises by about the formula's figure until the copy is written and collected.
let samples = [];
const sampler = setInterval(() => samples.push(rss()), 1000);
console.log(
  `${MODELS} models × ${NUMERIC + CATEGORICAL} features (${NUMERIC} numeric, ${CATEGORICAL} categorical) × 2 windows; ` +
    `load average ${loadavg()[0].toFixed(1)}`,
);
console.log(`bare node RSS ${bare.toFixed(0)} MiB; window memory by the README's formula ${formula.toFixed(0)} MiB`);
console.log(`bound: 2 × (bare node + formula) = ${bound.toFixed(0)} MiB (RSS as a fraction of it in brackets)`);
report('start-up', rss());
const scrape = async () => {
  const response = await fetch(`${exporter.url}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  await response.text();
};
let batches = 0;
const checkpoints = [1_000_000, 10_000_000, TOTAL].filter((n, i, all) => n <= TOTAL && all.indexOf(n) === i);
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
  await Promise.all(Array.from({ length: CONNECTIONS }, send));
  await scrape();
  const seconds = (Date.now() - startedAt) / 1000;
  const sorted = samples.sort((a, b) => a - b);
  console.log(
    `while sending up to ${(batches * BATCH).toLocaleString('en')} records (${sorted.length} samples): ` +
      `RSS median ${ofBound(sorted[sorted.length >> 1])}, max ${ofBound(sorted.at(-1))}`,
  );
  report(`after ${(batches * BATCH).toLocaleString('en')} records + a scrape (${seconds.toFixed(0)} s)`, rss());
  samples = [];
}
clearInterval(sampler);
exporter.stop();
await exporter.exited();
console.log(`load average ${loadavg()[0].toFixed(1)}`);
