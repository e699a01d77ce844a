// Ingest throughput: records per second through POST /api/v1/records (NDJSON batches of 1,000
// records, 20 numeric + 2 categorical features), measured with autocannon against a real exporter
// process, beside JSON.parse of the same bytes in the same run.
//   node bench/ingest.mjs [--seconds 20] [--connections 4]
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { makeRow, rowGenerator, writeCsv, median } from './lib/synthetic.mjs';
import { startExporter } from './lib/exporter.mjs';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '20' }, connections: { type: 'string', default: '4' } },
});
const BATCH = 1000;
mkdirSync('bench/out', { recursive: true });
await writeCsv('bench/out/ingest-reference.csv', 20_000, 20, 2, 1);
writeFileSync(
  'bench/out/ingest.yml',
  `models:\n  - name: bench\n    reference: { path: ingest-reference.csv }\n    windows: [1h, 24h]\n`,
);
const random = rowGenerator(2);
const body = Array.from({ length: BATCH }, () =>
  JSON.stringify({ model: 'bench', features: makeRow(random, 20, 2) }),
).join('\n');

// Baseline: JSON.parse of the same NDJSON bytes, line by line, in this process.
const parseRuns = [];
for (let run = 0; run < 30; run++) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < 20; i++) for (const line of body.split('\n')) JSON.parse(line);
  parseRuns.push((20 * BATCH) / (Number(process.hrtime.bigint() - started) / 1e9));
}
const parseRate = median(parseRuns);

const exporter = await startExporter('bench/out/ingest.yml');
const result = await autocannon({
  url: `${exporter.url}/api/v1/records`,
  method: 'POST',
  headers: { 'content-type': 'application/x-ndjson' },
  body,
  connections: Number(values.connections),
  duration: Number(values.seconds),
});
exporter.stop();
await exporter.exited();
const non2xx = result.non2xx;
const ingestRate = result.requests.average * BATCH;
console.log(
  `batch: ${BATCH} records, ${(body.length / 1024).toFixed(0)} KiB; ${values.connections} connections, ${values.seconds} s`,
);
console.log(
  `exporter ingest     ${Math.round(ingestRate).toLocaleString('en')} records/s (${result.requests.average.toFixed(1)} requests/s, p99 latency ${result.latency.p99} ms, non-2xx ${non2xx})`,
);
console.log(`JSON.parse baseline ${Math.round(parseRate).toLocaleString('en')} records/s`);
console.log(`ratio ingest / JSON.parse: ${(ingestRate / parseRate).toFixed(2)}`);
