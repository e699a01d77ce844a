// Ingest, stage by stage, in one process (no HTTP): NDJSON batches of 1,000 records (20 numeric +
// 2 categorical features, windows 1h and 24h) through the exporter's own parse stage
// (parseNdjsonBodyInSteps: split, depth check, JSON.parse) and its count stage (ingestItems: validate,
// count into the windows), and both as the records route runs them (ingestNdjsonInSteps over the
// request's bytes: flat records read by the fast path, server/fast-records.ts; and the same with
// the fast path off, each line through JSON.parse then counted before the next), beside JSON.parse
// of the same lines alone (the baseline), in the same run. Runs alternate; each figure is the
// median of the runs' CPU-time rates.
//   node --import tsx bench/ingest-stages.mjs [--batches 200] [--runs 5]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../exporter/src/config/load.ts';
import { ingestItems, ingestNdjsonInSteps } from '../exporter/src/server/ingest.ts';
import { ndjsonBody, parseNdjsonBodyInSteps } from '../exporter/src/server/parse-body.ts';
import { startState } from '../exporter/src/startup.ts';
import { makeRow, median, rowGenerator, writeCsv } from './lib/synthetic.mjs';

const { values } = parseArgs({
  options: { batches: { type: 'string', default: '200' }, runs: { type: 'string', default: '5' } },
});
const BATCHES = Number(values.batches);
const RUNS = Number(values.runs);
const BATCH = 1000;
mkdirSync('bench/out', { recursive: true });
await writeCsv('bench/out/ingest-reference.csv', 20_000, 20, 2, 1);
const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-bench-stages-'));
const { state } = await startState(
  parseConfig(
    `models:\n  - name: bench\n    reference: { path: ${process.cwd()}/bench/out/ingest-reference.csv }\n    windows: [1h, 24h]\n`,
  ),
  { storagePath },
);
const random = rowGenerator(2);
const bodies = Array.from({ length: 10 }, () =>
  Array.from({ length: BATCH }, () => JSON.stringify({ model: 'bench', features: makeRow(random, 20, 2) })).join('\n'),
);

/** Records per CPU second of `work(body)` over BATCHES bodies. */
async function rate(work) {
  const cpu = process.cpuUsage();
  for (let b = 0; b < BATCHES; b++) await work(bodies[b % bodies.length], b);
  const used = process.cpuUsage(cpu);
  return (BATCHES * BATCH) / ((used.user + used.system) / 1e6);
}

const parsed = await Promise.all(bodies.map((body) => parseNdjsonBodyInSteps(body, 32)));
// Records with an RFC 3339 timestamp of the last minute (as toISOString writes it), parsed as the
// route parses them (JSON.parse gives objects of one shape; a spread copy would read slower).
const timestamped = await Promise.all(
  bodies.map((body) =>
    parseNdjsonBodyInSteps(
      body
        .split('\n')
        .map((line, i) => `${line.slice(0, -1)},"timestamp":"${new Date(Date.now() - i * 60).toISOString()}"}`)
        .join('\n'),
      32,
    ),
  ),
);
const buffers = bodies.map((body) => Buffer.from(body));
const rates = { jsonParse: [], parse: [], count: [], countTimestamped: [], both: [], lineByLine: [], route: [] };
for (let run = 0; run < RUNS; run++) {
  rates.jsonParse.push(await rate((body) => body.split('\n').forEach((line) => JSON.parse(line))));
  rates.parse.push(await rate((body) => parseNdjsonBodyInSteps(body, 32)));
  rates.count.push(await rate((_body, b) => ingestItems(state, parsed[b % parsed.length], { maxFeatures: 1000 })));
  rates.countTimestamped.push(
    await rate((_body, b) => ingestItems(state, timestamped[b % parsed.length], { maxFeatures: 1000 })),
  );
  rates.both.push(
    await rate(async (body) => ingestItems(state, await parseNdjsonBodyInSteps(body, 32), { maxFeatures: 1000 })),
  );
  rates.lineByLine.push(
    await rate((_body, b) =>
      ingestNdjsonInSteps(state, ndjsonBody(buffers[b % buffers.length], 32), { maxFeatures: 1000, fastPath: false }),
    ),
  );
  rates.route.push(
    await rate((_body, b) =>
      ingestNdjsonInSteps(state, ndjsonBody(buffers[b % buffers.length], 32), { maxFeatures: 1000 }),
    ),
  );
}
rmSync(storagePath, { recursive: true, force: true });
const m = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
const fmt = (r) => `${Math.round(r).toLocaleString('en').padStart(10)} records/s`;
console.log(`${BATCHES} batches of ${BATCH} records, median of ${RUNS} alternating runs, CPU time`);
console.log(`JSON.parse of the lines (baseline) ${fmt(m.jsonParse)}`);
console.log(`parse stage (parseNdjsonBodyInSteps)${fmt(m.parse)}   ${(m.parse / m.jsonParse).toFixed(2)}× JSON.parse`);
console.log(`count stage (validate + windows)   ${fmt(m.count)}`);
console.log(`count stage, records with timestamp${fmt(m.countTimestamped)}`);
console.log(`parse + count                      ${fmt(m.both)}   ${(m.both / m.jsonParse).toFixed(2)}× JSON.parse`);
console.log(
  `line by line, JSON.parse each     ${fmt(m.lineByLine)}   ${(m.lineByLine / m.jsonParse).toFixed(2)}× JSON.parse`,
);
console.log(`the records route (fast path)     ${fmt(m.route)}   ${(m.route / m.jsonParse).toFixed(2)}× JSON.parse`);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
