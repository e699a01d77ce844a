// The cost of segments: ingest (validate and count, no HTTP) and the /metrics render of a model
// of 20 numeric + 2 categorical features, windows 1h and 24h, beside the same model segmented by
// its categorical feature c0 (5 values + __other__: each record is counted twice), in one process.
// Runs alternate; each figure is the median of the runs' CPU-time rates.
//   node --import tsx bench/segments.mjs [--batches 100] [--runs 5]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../exporter/src/config/load.ts';
import { renderMetrics } from '../exporter/src/metrics/collect.ts';
import { ingestItems } from '../exporter/src/server/ingest.ts';
import { parseNdjsonBodyInSteps } from '../exporter/src/server/parse-body.ts';
import { startState } from '../exporter/src/startup.ts';
import { makeRow, median, rowGenerator, writeCsv } from './lib/synthetic.mjs';

const { values } = parseArgs({
  options: { batches: { type: 'string', default: '100' }, runs: { type: 'string', default: '5' } },
});
const BATCHES = Number(values.batches);
const RUNS = Number(values.runs);
const BATCH = 1000;
mkdirSync('bench/out', { recursive: true });
await writeCsv('bench/out/segments-reference.csv', 20_000, 20, 2, 1);
const reference = `${process.cwd()}/bench/out/segments-reference.csv`;
const storagePath = mkdtempSync(join(tmpdir(), 'mlmon-bench-segments-'));
const model = (name, extra) =>
  `  - name: ${name}\n    reference: { path: ${reference} }\n    features: [${[
    ...Array.from({ length: 20 }, (_, i) => `{ name: n${i} }`),
    '{ name: c0, type: categorical }',
    '{ name: c1, type: categorical }',
  ].join(', ')}]\n    windows: [1h, 24h]\n${extra}`;
const { state } = await startState(
  parseConfig(`models:\n${model('plain', '')}${model('segmented', '    segments: [c0]\n    segment_values: 5\n')}`),
  { storagePath },
);
const random = rowGenerator(2);
const rows = Array.from({ length: 10 * BATCH }, () => makeRow(random, 20, 2));
const bodiesOf = (name) =>
  Array.from({ length: 10 }, (_, b) =>
    rows
      .slice(b * BATCH, (b + 1) * BATCH)
      .map((features) => JSON.stringify({ model: name, features }))
      .join('\n'),
  );
const parsed = {
  plain: await Promise.all(bodiesOf('plain').map((body) => parseNdjsonBodyInSteps(body, 32))),
  segmented: await Promise.all(bodiesOf('segmented').map((body) => parseNdjsonBodyInSteps(body, 32))),
};

/** Records per CPU second of counting the model's batches. */
async function ingestRate(name) {
  const cpu = process.cpuUsage();
  for (let b = 0; b < BATCHES; b++) await ingestItems(state, parsed[name][b % 10], { maxFeatures: 1000 });
  const used = process.cpuUsage(cpu);
  return (BATCHES * BATCH) / ((used.user + used.system) / 1e6);
}

/** CPU milliseconds of one full /metrics render (every window recomputed: a record arrived since). */
function renderMs(only) {
  const models = state.models;
  state.models = new Map([[only, models.get(only)]]);
  const samples = [];
  for (let i = 0; i < 5; i++) {
    ingestItems(state, parsed[only][i], { maxFeatures: 1000 });
    const cpu = process.cpuUsage();
    renderMetrics(state);
    const used = process.cpuUsage(cpu);
    samples.push((used.user + used.system) / 1000);
  }
  state.models = models;
  return median(samples);
}

const rates = { plain: [], segmented: [], renderPlain: [], renderSegmented: [] };
for (let run = 0; run < RUNS; run++) {
  rates.plain.push(await ingestRate('plain'));
  rates.segmented.push(await ingestRate('segmented'));
  rates.renderPlain.push(renderMs('plain'));
  rates.renderSegmented.push(renderMs('segmented'));
}
const series = (name) => {
  const models = state.models;
  state.models = new Map([[name, models.get(name)]]);
  const text = renderMetrics(state);
  state.models = models;
  return text.split('\n').filter((l) => l.startsWith('mlmon_') && !l.startsWith('mlmon_build')).length;
};
rmSync(storagePath, { recursive: true, force: true });
const m = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
const fmt = (r) => `${Math.round(r).toLocaleString('en').padStart(10)} records/s`;
console.log(`${BATCHES} batches of ${BATCH} records, median of ${RUNS} alternating runs, CPU time`);
console.log(`ingest, unsegmented model (baseline) ${fmt(m.plain)}`);
console.log(
  `ingest, segmented by c0 (5 + other)  ${fmt(m.segmented)}   ${(m.segmented / m.plain).toFixed(2)}× baseline`,
);
console.log(
  `render /metrics, unsegmented         ${m.renderPlain.toFixed(1).padStart(8)} ms   ${series('plain')} series`,
);
console.log(
  `render /metrics, segmented           ${m.renderSegmented.toFixed(1).padStart(8)} ms   ${series('segmented')} series   ${(m.renderSegmented / m.renderPlain).toFixed(2)}× baseline`,
);
