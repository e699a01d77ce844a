// Scrape latency: GET /metrics of an exporter with 10 models × 50 features (40 numeric, 10
// categorical, windows 1h and 24h) after traffic, beside a plain node:http server answering the
// same bytes from memory (the floor: transport of the page, no computing; its own process, as
// the exporter has) in the same run. One kept-alive connection, requests one after another, each
// timed from its start to the last byte of its answer (sub-millisecond, where autocannon rounds to
// whole milliseconds). The two take turns, round after round, so that both see the same load;
// each figure is the median of the rounds' percentiles.
//   node bench/scrape.mjs [--seconds 5] [--rounds 3]
import { spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeRow, median, rowGenerator, writeCsv } from './lib/synthetic.mjs';
import { startExporter } from './lib/exporter.mjs';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' } },
});
const MODELS = 10;
const GOAL_P99_MS = 50;
const GOAL_P50_RATIO = 3;
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
// Past start-up: the models' drift thresholds are calibrated by simulations run in the background
// after start; the scrapes are timed once they are done (the exporter's CPU below a tenth of a core).
const cpuSeconds = () => {
  const fields = readFileSync(`/proc/${exporter.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
};
for (let waited = 0, last = cpuSeconds(); waited < 120; waited++) {
  await sleep(1000);
  const now = cpuSeconds();
  if (now - last < 0.1) break;
  last = now;
}
const page = Buffer.from(await (await fetch(`${exporter.url}/metrics`)).arrayBuffer());
const series = page
  .toString()
  .split('\n')
  .filter((l) => l && !l.startsWith('#')).length;

// The floor: the page's bytes, kept as a buffer, answered by node:http in a process of its own.
writeFileSync('bench/out/scrape-page.txt', page);
const floorServer = spawn(
  process.execPath,
  [
    '-e',
    `const page = require('node:fs').readFileSync('bench/out/scrape-page.txt');
     const server = require('node:http').createServer((_req, res) => res.end(page));
     server.listen(0, '127.0.0.1', () => console.log(server.address().port));`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const floorPort = await new Promise((resolve) => floorServer.stdout.once('data', (chunk) => resolve(Number(chunk))));

/** Latencies (ms) of sequential GETs of `url` over one kept-alive connection for --seconds. */
async function measure(url) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  const until = performance.now() + Number(values.seconds) * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    await new Promise((resolve, reject) => {
      get(url, { agent }, (res) => {
        res.on('data', () => {});
        res.on('end', resolve);
        res.on('error', reject);
      }).on('error', reject);
    });
    latencies.push(performance.now() - started);
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p99: at(0.99), count: latencies.length };
}
const rounds = { scrape: [], floor: [] };
const loads = [];
for (let round = 0; round < Number(values.rounds); round++) {
  rounds.scrape.push(await measure(`${exporter.url}/metrics`));
  rounds.floor.push(await measure(`http://127.0.0.1:${floorPort}/metrics`));
  loads.push(loadavg()[0]);
}
exporter.stop();
floorServer.kill();
await exporter.exited();

const ms = (x) => Math.round(x * 100) / 100;
const summary = (list) => ({
  p50: ms(median(list.map((r) => r.p50))),
  p99: ms(median(list.map((r) => r.p99))),
  requests: list.reduce((sum, r) => sum + r.count, 0),
  perRound: list.map((r) => `${r.p50.toFixed(1)}/${r.p99.toFixed(1)}`).join(', '),
});
const scrape = summary(rounds.scrape);
const floor = summary(rounds.floor);
const ratio = scrape.p50 / floor.p50;
console.log(
  `/metrics: ${series.toLocaleString('en')} series, ${(page.length / 2 ** 20).toFixed(1)} MiB; ` +
    `${values.rounds} rounds of ${values.seconds} s each, in turns; load average ${loads.map((l) => l.toFixed(1)).join(', ')}`,
);
console.log(
  `GET /metrics          median ${scrape.p50} ms, p99 ${scrape.p99} ms (${scrape.requests} scrapes; p50/p99 by round ${scrape.perRound})`,
);
console.log(
  `same bytes, static    median ${floor.p50} ms, p99 ${floor.p99} ms (${floor.requests} requests; by round ${floor.perRound})`,
);
const round2 = (x) => Math.round(x * 100) / 100;
console.log(
  `RESULT ${JSON.stringify({ row: 'scrape-p99', value: scrape.p99, unit: 'ms', baseline: floor.p99, ratio: round2(scrape.p99 / floor.p99), goal: `<=${GOAL_P99_MS} ms`, met: scrape.p99 <= GOAL_P99_MS })}`,
);
console.log(
  `RESULT ${JSON.stringify({ row: 'scrape-p50-ratio', value: round2(ratio), unit: 'x', baseline: floor.p50, ratio: round2(ratio), goal: `<=${GOAL_P50_RATIO}x static`, met: ratio <= GOAL_P50_RATIO })}`,
);
