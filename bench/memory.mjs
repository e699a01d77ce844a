// Memory: RSS of a real exporter process after 1 million and after 10 million records
// (22 features, windows 1h and 24h), beside its RSS right after start-up in the same run.
// Records are timestamped across the last 24 h so that every slice of both windows fills.
//   node bench/memory.mjs [--records 10000000]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeRow, rowGenerator, writeCsv } from './lib/synthetic.mjs';
import { startExporter } from './lib/exporter.mjs';

const { values } = parseArgs({ options: { records: { type: 'string', default: '10000000' } } });
const TOTAL = Number(values.records);
const BATCH = 5000;
mkdirSync('bench/out', { recursive: true });
await writeCsv('bench/out/memory-reference.csv', 20_000, 20, 2, 5);
writeFileSync(
  'bench/out/memory.yml',
  `models:\n  - name: mem\n    reference: { path: memory-reference.csv }\n    windows: [1h, 24h]\n`,
);
const exporter = await startExporter('bench/out/memory.yml');
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${exporter.pid}/status`, 'utf8'))[1]) / 1024;

const random = rowGenerator(6);
// A fixed pool of distinct batches: generating 10 M fresh rows would measure the generator.
const pool = Array.from({ length: 20 }, () => Array.from({ length: BATCH }, () => makeRow(random, 20, 2)));
const startRss = rssMiB();
const rows = [['start-up', 0, startRss]];
const started = Date.now();
let sent = 0;
for (let b = 0; sent < TOTAL; b++) {
  const now = Date.now();
  const body = pool[b % pool.length]
    .map((features, i) => JSON.stringify({ model: 'mem', features, timestamp: now - ((sent + i) % 86_000) * 1000 }))
    .join('\n');
  const response = await fetch(`${exporter.url}/api/v1/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body,
  });
  if (!response.ok) throw new Error(`ingest answered ${response.status}`);
  sent += BATCH;
  if (sent === 1_000_000 || sent === 10_000_000 || sent === TOTAL)
    rows.push([`after ${sent.toLocaleString('en')} records`, sent, rssMiB()]);
}
await fetch(`${exporter.url}/metrics`);
rows.push(['after a scrape', sent, rssMiB()]);
exporter.stop();
console.log(`ingested ${sent.toLocaleString('en')} records in ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const [label, , rss] of rows)
  console.log(`${label.padEnd(28)} RSS ${rss.toFixed(0)} MiB  (x${(rss / startRss).toFixed(2)} of start-up)`);
