// Scrape latency: GET /metrics of an exporter with 10 models × 50 features (40 numeric, 10
// categorical, windows 1h and 24h) after traffic, beside a plain node:http server answering the
// same bytes from memory (the floor: transport of the page, no computing) in the same run,
// measured with autocannon (one connection, sequential requests).
//   node bench/scrape.mjs [--seconds 10]
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { makeRow, rowGenerator, writeCsv } from './lib/synthetic.mjs';
import { startExporter } from './lib/exporter.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const MODELS = 10;
mkdirSync('bench/out', { recursive: true });
await writeCsv('bench/out/scrape-reference.csv', 5_000, 40, 10, 3);
const models = Array.from(
  { length: MODELS },
  (_, i) =>
    `  - name: m${i}\n    reference: { path: scrape-reference.csv }\n    windows: [1h, 24h]\n    min_samples: 100\n`,
);
writeFileSync('bench/out/scrape.yml', `models:\n${models.join('')}`);
const exporter = await startExporter('bench/out/scrape.yml');

const random = rowGenerator(4);
for (let m = 0; m < MODELS; m++) {
  const body = Array.from({ length: 2000 }, () =>
    JSON.stringify({ model: `m${m}`, features: makeRow(random, 40, 10, 0.3) }),
  ).join('\n');
  await fetch(`${exporter.url}/api/v1/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body,
  });
}
const page = await (await fetch(`${exporter.url}/metrics`)).text();
const series = page.split('\n').filter((l) => l && !l.startsWith('#')).length;

const measure = (url) => autocannon({ url, connections: 1, duration: Number(values.seconds) });
const scrape = await measure(`${exporter.url}/metrics`);
exporter.stop();
await exporter.exited();
const staticServer = createServer((_req, res) => res.end(page));
await new Promise((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
const floor = await measure(`http://127.0.0.1:${staticServer.address().port}/metrics`);
staticServer.close();
console.log(`/metrics: ${series.toLocaleString('en')} series, ${(page.length / 1024 / 1024).toFixed(1)} MiB`);
console.log(
  `GET /metrics   median ${scrape.latency.p50} ms, p99 ${scrape.latency.p99} ms (${scrape.requests.total} scrapes)`,
);
console.log(`same bytes, static median ${floor.latency.p50} ms, p99 ${floor.latency.p99} ms`);
console.log(`ratio /metrics / static (median): ${(scrape.latency.p50 / Math.max(floor.latency.p50, 1)).toFixed(1)}`);
