// Ingest throughput: records per second through POST /api/v1/records (NDJSON batches of 1,000
// records, 20 numeric + 2 categorical features), measured with autocannon against a real exporter
// process, beside JSON.parse of the same lines in the same run. Rounds alternate (JSON.parse, then
// the exporter), so that both see the same load; each figure is the median of the rounds.
// Two ratios: by wall time (records/s) and by CPU time, the exporter's CPU seconds (/proc) against
// this process's for JSON.parse: what one core does, however busy the machine is.
// Only answered batches (2xx) count: past `limits.max_concurrent_ingest` (2) at once, a request
// is refused with 503, unparsed. The last line is the issue-13 goal row "ingest": the CPU-time
// ratio, met at >= 0.5.
//   node bench/ingest.mjs [--seconds 20] [--rounds 5] [--connections 2]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { makeRow, rowGenerator, writeCsv, median } from './lib/synthetic.mjs';
import { startExporter } from './lib/exporter.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '2' },
  },
});
const BATCH = 1000;
const ROUNDS = Number(values.rounds);
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

/** CPU seconds used by process `pid` so far (user + system), or NaN where /proc is not there. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return NaN;
  }
}

/** JSON.parse of the batch's lines, one by one, in this process for about `seconds`. */
function jsonParseRound(seconds) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let records = 0;
  while (performance.now() - started < seconds * 1000) {
    for (const line of body.split('\n')) JSON.parse(line);
    records += BATCH;
  }
  const used = process.cpuUsage(cpu);
  return {
    wall: records / ((performance.now() - started) / 1000),
    cpu: records / ((used.user + used.system) / 1e6),
  };
}

const exporter = await startExporter('bench/out/ingest.yml');
const url = `${exporter.url}/api/v1/records`;
const headers = { 'content-type': 'application/x-ndjson' };
await fetch(url, { method: 'POST', headers, body }); // warm-up
const roundSeconds = Number(values.seconds) / ROUNDS;
const rounds = { parseWall: [], parseCpu: [], ingestWall: [], ingestCpu: [], p99: [] };
let non2xx = 0;
for (let round = 0; round < ROUNDS; round++) {
  const parse = jsonParseRound(Math.min(roundSeconds, 2));
  rounds.parseWall.push(parse.wall);
  rounds.parseCpu.push(parse.cpu);
  const cpuBefore = cpuSeconds(exporter.pid);
  const result = await autocannon({
    url,
    method: 'POST',
    headers,
    body,
    connections: Number(values.connections),
    duration: roundSeconds,
  });
  const records = result['2xx'] * BATCH;
  rounds.ingestWall.push(records / result.duration);
  rounds.ingestCpu.push(records / (cpuSeconds(exporter.pid) - cpuBefore));
  rounds.p99.push(result.latency.p99);
  non2xx += result.non2xx;
}
exporter.stop();
await exporter.exited();

const m = Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, median(v)]));
const rate = (r) => `${Math.round(r).toLocaleString('en').padStart(9)} records/s`;
console.log(
  `batch: ${BATCH} records, ${(body.length / 1024).toFixed(0)} KiB; ${values.connections} connections; ${ROUNDS} rounds of ${roundSeconds} s, medians`,
);
console.log(`exporter ingest, wall       ${rate(m.ingestWall)} (p99 latency ${m.p99} ms, non-2xx ${non2xx})`);
console.log(`JSON.parse baseline, wall   ${rate(m.parseWall)}`);
console.log(`ratio ingest / JSON.parse, wall time: ${(m.ingestWall / m.parseWall).toFixed(2)}`);
console.log(`exporter ingest, per CPU s  ${rate(m.ingestCpu)}`);
console.log(`JSON.parse, per CPU s       ${rate(m.parseCpu)}`);
console.log(`ratio ingest / JSON.parse, CPU time (one core): ${(m.ingestCpu / m.parseCpu).toFixed(2)}`);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const cpuRatio = m.ingestCpu / m.parseCpu;
console.log(
  `RESULT ${JSON.stringify({
    row: 'ingest',
    value: Math.round(m.ingestCpu),
    unit: 'records/s per CPU s',
    baseline: Math.round(m.parseCpu),
    ratio: Number(cpuRatio.toFixed(3)),
    goal: 'ratio>=0.5',
    met: cpuRatio >= 0.5,
  })}`,
);
