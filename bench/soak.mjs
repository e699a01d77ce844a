// Soak: a real exporter process under sustained ingest (default 30 minutes at 5,000 records/s,
// 20 numeric + 2 categorical features, windows 1h and 24h) with a scrape every 5 s. Every 10 s it
// samples the exporter's RSS (from /proc) and its event-loop lag (mlmon_event_loop_lag_seconds),
// prints them as a table, and ends with RSS at the end against RSS after the first minute.
//   node bench/soak.mjs [--minutes 30] [--rate 5000]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeRow, rowGenerator, writeCsv } from './lib/synthetic.mjs';
import { startExporter } from './lib/exporter.mjs';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '30' }, rate: { type: 'string', default: '5000' } },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const BATCH = 500;
mkdirSync('bench/out', { recursive: true });
await writeCsv('bench/out/soak-reference.csv', 20_000, 20, 2, 21);
writeFileSync(
  'bench/out/soak.yml',
  'models:\n  - name: soak\n    reference: { path: soak-reference.csv }\n    windows: [1h, 24h]\n',
);
const exporter = await startExporter('bench/out/soak.yml');
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${exporter.pid}/status`, 'utf8'))[1]) / 1024;

const random = rowGenerator(22);
const pool = Array.from({ length: 50 }, () => Array.from({ length: BATCH }, () => makeRow(random, 20, 2)));
const started = Date.now();
const end = started + minutes * 60_000;
let sent = 0;
let failures = 0;
let lastLag = 0;

async function ingestLoop() {
  for (let b = 0; Date.now() < end; b++) {
    const due = started + (sent / rate) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const body = pool[b % pool.length].map((features) => JSON.stringify({ model: 'soak', features })).join('\n');
    const response = await fetch(`${exporter.url}/api/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body,
    }).catch(() => undefined);
    if (!response?.ok) failures++;
    await response?.arrayBuffer();
    sent += BATCH;
  }
}

async function scrapeLoop() {
  while (Date.now() < end) {
    const text = await (await fetch(`${exporter.url}/metrics`)).text();
    lastLag = Math.max(lastLag, Number(/^mlmon_event_loop_lag_seconds (\S+)$/m.exec(text)?.[1] ?? 0));
    await new Promise((r) => setTimeout(r, 5000));
  }
}

const rows = [];
async function sampleLoop() {
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 10_000));
    rows.push({ t: Math.round((Date.now() - started) / 1000), rss: rssMiB(), lag: lastLag, sent });
    lastLag = 0;
    const row = rows.at(-1);
    console.log(
      `${String(row.t).padStart(6)} s  RSS ${row.rss.toFixed(0).padStart(5)} MiB  loop lag p99 ${(row.lag * 1000).toFixed(1).padStart(6)} ms  records ${row.sent.toLocaleString('en')}`,
    );
  }
}

console.log(`soak: ${minutes} min at ${rate} records/s, scrape every 5 s`);
await Promise.all([ingestLoop(), scrapeLoop(), sampleLoop()]);
exporter.stop();
const afterMinute = rows.find((r) => r.t >= 60) ?? rows[0];
const last = rows.at(-1);
console.log(
  `\nsent ${sent.toLocaleString('en')} records (${Math.round(sent / ((Date.now() - started) / 1000))}/s), ${failures} failed requests`,
);
console.log(
  `RSS after 1 min ${afterMinute.rss.toFixed(0)} MiB, at the end ${last.rss.toFixed(0)} MiB: ratio ${(last.rss / afterMinute.rss).toFixed(3)}`,
);
console.log(`event-loop lag p99, worst 10 s sample: ${(Math.max(...rows.map((r) => r.lag)) * 1000).toFixed(1)} ms`);
