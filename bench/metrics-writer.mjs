// Could prom-client carry the model families? The samples of a /metrics page of 10 models × 50
// features × 2 windows (≈ 37k series) are recorded once, then written again and again by the
// exporter's own writer (src/metrics/exposition.ts) and by prom-client (a Gauge or Counter per
// family: reset, set every sample, registry.metrics()), in the same run. Writing only: computing
// the statistics costs the same either way and is left out. Histograms (2 families, a few dozen
// series) are left out too: prom-client's Histogram takes observations, not bucket counts.
//   node --import tsx bench/metrics-writer.mjs [--scrapes 40]
import { parseArgs } from 'node:util';
import { Counter, Gauge, Registry } from 'prom-client';
import { makeRow, rowGenerator, writeCsv } from './lib/synthetic.mjs';
import { parseConfig } from '../exporter/src/config/load.ts';
import { CATALOG } from '../exporter/src/metrics/catalog.ts';
import { collectModels } from '../exporter/src/metrics/collect-models.ts';
import { collectPerformance } from '../exporter/src/metrics/collect-performance.ts';
import { Exposition } from '../exporter/src/metrics/exposition.ts';
import { startState } from '../exporter/src/startup.ts';
import { mkdirSync } from 'node:fs';

const { values } = parseArgs({ options: { scrapes: { type: 'string', default: '40' } } });
const SCRAPES = Number(values.scrapes);
const MODELS = 10;
mkdirSync('bench/out', { recursive: true });
await writeCsv('bench/out/writer-reference.csv', 5_000, 40, 10, 3);
const models = Array.from(
  { length: MODELS },
  (_, i) =>
    `  - name: m${i}\n    reference: { path: bench/out/writer-reference.csv }\n    windows: [1h, 24h]\n    min_samples: 100\n`,
);
const { state } = await startState(parseConfig(`models:\n${models.join('')}`, 'bench.yml'));
const random = rowGenerator(4);
const now = Date.now();
for (const [name, entry] of state.models) {
  for (let i = 0; i < 2000; i++) entry.state.ingest({ model: name, features: makeRow(random, 40, 10, 0.3) }, now);
}

// Record the samples once, through a writer with the Exposition's interface.
const recorded = [];
const recorder = {
  family: (name) => ({
    sample: (labels, value) => {
      if (!Number.isNaN(value)) recorded.push([name, labels, value]);
    },
    histogram: () => {},
  }),
};
collectModels(recorder, state.models, now);
collectPerformance(recorder, state.models, now);
console.log(`${recorded.length.toLocaleString('en')} series recorded`);

function ownWriter() {
  const out = new Exposition();
  for (const [name, labels, value] of recorded) out.family(name).sample(labels, value);
  return out.toString();
}

const registry = new Registry();
const metrics = new Map();
for (const name of new Set(recorded.map(([name]) => name))) {
  const spec = CATALOG[name];
  const Type = spec.type === 'counter' ? Counter : Gauge;
  metrics.set(name, new Type({ name, help: spec.help, labelNames: [...spec.labels], registers: [registry] }));
}
async function promClient() {
  for (const metric of metrics.values()) metric.reset();
  for (const [name, labels, value] of recorded) {
    const metric = metrics.get(name);
    if (metric instanceof Counter) metric.inc(labels, value);
    else metric.set(labels, value);
  }
  return registry.metrics();
}

async function time(label, write) {
  const page = await write(); // warm-up
  const ms = [];
  for (let i = 0; i < SCRAPES; i++) {
    const started = performance.now();
    await write();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(1);
  console.log(
    `${label.padEnd(30)} median ${at(0.5)} ms, p99 ${at(0.99)} ms (${(page.length / 1048576).toFixed(1)} MiB)`,
  );
  return Number(at(0.5));
}

const own = await time('own writer (Exposition)', ownWriter);
const prom = await time('prom-client (set + metrics())', promClient);
console.log(`ratio prom-client / own writer (median): ${(prom / own).toFixed(1)}`);
