// Label-free performance estimation (CBPE) replayed through `mlmon backfill`: a binary classifier
// whose raw score is overconfident (the isotonic calibration on a labelled reference corrects it),
// under covariate shift of its input that moves the realised accuracy up and down, in windows of
// 5,000 records each carrying its label. Per window it prints the estimated accuracy and F1 (with
// the 95 % band) beside the realised ones the exporter computes from the labels, then the mean
// absolute error and the band's coverage. With python3 and scikit-learn it also runs the row-level
// reference implementation (bench/cbpe_reference.py) on the same rows and prints the largest
// difference per metric between it and the exporter's estimates from bounded per-interval sums.
//   node bench/cbpe-replay.mjs [--windows 30] [--rows 5000] [--reference 20000]
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildIfStale } from '../exporter/scripts/build.mjs';
import { rowGenerator } from './lib/synthetic.mjs';

await buildIfStale(); // the bin runs the built dist/
const { values } = parseArgs({
  options: {
    windows: { type: 'string', default: '30' },
    rows: { type: 'string', default: '5000' },
    reference: { type: 'string', default: '20000' },
  },
});
const WINDOWS = Number(values.windows);
const ROWS = Number(values.rows);
const REFERENCE_ROWS = Number(values.reference);
const DIR = 'bench/out/cbpe-replay';
mkdirSync(DIR, { recursive: true });

const HOUR = 3_600_000;
const start = Math.floor(Date.now() / HOUR) * HOUR - (WINDOWS + 2) * HOUR;
/** Covariate shift per window: the input's mean and spread (the reference's is N(0, 1)). */
const SHIFTS = [
  [0, 1],
  [-0.5, 1],
  [-1, 1],
  [-1.5, 1],
  [0.25, 0.6],
  [0.25, 0.45],
  [0.5, 1],
  [1, 1],
  [1.5, 1],
  [0.25, 0.8],
];

const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const random = rowGenerator(17);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
/** One row: true P(y = 1 | x) = sigmoid(2x − 0.5); the model's score sigmoid(2.8x − 0.3). */
function row(mean, spread) {
  const x = mean + spread * normal();
  const label = random() < sigmoid(2 * x - 0.5) ? 1 : 0;
  return { x: Math.round(x * 1e6) / 1e6, score: Math.round(sigmoid(2.8 * x - 0.3) * 1e6) / 1e6, label };
}

async function writeLines(path, count, line) {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) if (!out.write(line(i))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

await writeLines(`${DIR}/reference.csv`, REFERENCE_ROWS + 1, (i) => {
  if (i === 0) return 'x,score,label\n';
  const r = row(0, 1);
  return `${r.x},${r.score},${r.label}\n`;
});
// Window k's records lie in [start + k h + 1 min, start + (k + 1) h): the 1h window read at
// start + (k + 1) h (60 one-minute slices, the current one included) holds exactly them.
await writeLines(`${DIR}/records.jsonl`, WINDOWS * ROWS, (i) => {
  const k = Math.floor(i / ROWS);
  const [mean, spread] = SHIFTS[k % SHIFTS.length];
  const t = start + k * HOUR + 60_000 + Math.floor(((i % ROWS) * (HOUR - 120_000)) / ROWS);
  const r = row(mean, spread);
  return `${JSON.stringify({ model: 'm', features: { x: r.x }, prediction: r.score, label: r.label, timestamp: t })}\n`;
});
const config = (estimation) => `models:
  - name: m
    reference: { path: reference.csv }
    features: [{ name: x }]
    prediction: { name: score }
    windows: [1h]
    performance:
      positive_class: '1'
      negative_class: '0'
      threshold: 0.5
${estimation ? '      estimation: { reference: { path: reference.csv } }\n' : ''}`;
writeFileSync(`${DIR}/config.yml`, config(true));
writeFileSync(`${DIR}/config-without.yml`, config(false));

/** Seconds of one `mlmon backfill` of the records with this config. */
function replay(configFile, output) {
  const started = performance.now();
  execFileSync(process.execPath, [
    'exporter/bin/mlmon.mjs',
    'backfill',
    '--config',
    configFile,
    '--input',
    `${DIR}/records.jsonl`,
    '--step',
    '1h',
    '--output',
    output,
  ]);
  return (performance.now() - started) / 1000;
}
// The cost of estimation: the same replay without it, interleaved, best of 3 each.
const timings = { with: [], without: [] };
for (let i = 0; i < 3; i++) {
  timings.with.push(replay(`${DIR}/config.yml`, `${DIR}/replay.om`));
  timings.without.push(replay(`${DIR}/config-without.yml`, `${DIR}/replay-without.om`));
}
const seconds = Math.min(...timings.with);
const baseline = Math.min(...timings.without);

/** Every model-level sample of the replay: family → time (ms) → value. */
const series = new Map();
const pattern = /^(mlmon_performance_[a-z0-9_]+)\{model="m",window="1h"(?:,metric="([a-z0-9]+)")?\} (\S+) (\d+)/;
for (const line of readFileSync(`${DIR}/replay.om`, 'utf8').split('\n')) {
  const match = pattern.exec(line);
  if (!match) continue;
  const [, family, metric, value, at] = match;
  const name = metric ? `${family}:${metric}` : family;
  if (!series.has(name)) series.set(name, new Map());
  series.get(name).set(Number(at) * 1000, Number(value));
}
const at = (name, k) => series.get(name)?.get(start + (k + 1) * HOUR);

let reference;
const python = spawnSync('python3', ['bench/cbpe_reference.py', DIR, String(ROWS)], { encoding: 'utf8' });
if (python.status === 0) reference = JSON.parse(python.stdout);
else console.log(`(row-level reference not run: ${python.stderr.trim().split('\n').pop()})\n`);

const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'auroc'];
const f = (x) => x.toFixed(4);
console.log(
  `${WINDOWS} windows of ${ROWS} records, labelled reference of ${REFERENCE_ROWS} rows; backfill ${seconds.toFixed(1)} s ` +
    `(without estimation ${baseline.toFixed(1)} s, ratio ${(seconds / baseline).toFixed(2)}; best of 3 interleaved)\n`,
);
console.log('| window | shift (mean, sd) | accuracy est [95 % band] | realised | F1 est [95 % band] | realised |');
console.log('|---|---|---|---|---|---|');
const errors = Object.fromEntries(METRICS.map((m) => [m, []]));
const covered = Object.fromEntries(METRICS.map((m) => [m, 0]));
const referenceDiff = Object.fromEntries(METRICS.map((m) => [m, 0]));
const realisedRange = [Infinity, -Infinity];
for (let k = 0; k < WINDOWS; k++) {
  const [mean, spread] = SHIFTS[k % SHIFTS.length];
  for (const metric of METRICS) {
    const estimated = at(`mlmon_performance_estimated_${metric}`, k);
    const real = at(`mlmon_performance_${metric}`, k);
    errors[metric].push(estimated - real);
    const lower = at(`mlmon_performance_estimated_${metric}_lower`, k);
    const upper = at(`mlmon_performance_estimated_${metric}_upper`, k);
    if (real >= lower && real <= upper) covered[metric]++;
    if (reference) referenceDiff[metric] = Math.max(referenceDiff[metric], Math.abs(estimated - reference[k][metric]));
  }
  const real = at('mlmon_performance_accuracy', k);
  realisedRange[0] = Math.min(realisedRange[0], real);
  realisedRange[1] = Math.max(realisedRange[1], real);
  const cell = (metric) =>
    `${f(at(`mlmon_performance_estimated_${metric}`, k))} [${f(at(`mlmon_performance_estimated_${metric}_lower`, k))}, ${f(at(`mlmon_performance_estimated_${metric}_upper`, k))}] | ${f(at(`mlmon_performance_${metric}`, k))}`;
  console.log(`| ${k} | ${mean}, ${spread} | ${cell('accuracy')} | ${cell('f1')} |`);
}
const mae = (list) => list.reduce((s, e) => s + Math.abs(e), 0) / list.length;
const firstAccuracy = at('mlmon_performance_accuracy', 0);
console.log(
  `\nrealised accuracy ${f(realisedRange[0])} … ${f(realisedRange[1])} (unshifted window ${f(firstAccuracy)})\n`,
);
console.log(
  `| metric | mean absolute error | band coverage |${reference ? ' largest difference from the row-level reference |' : ''}`,
);
console.log(`|---|---|---|${reference ? '---|' : ''}`);
for (const metric of METRICS) {
  console.log(
    `| ${metric} | ${f(mae(errors[metric]))} | ${((100 * covered[metric]) / WINDOWS).toFixed(0)} % (${covered[metric]} of ${WINDOWS}) |${
      reference ? ` ${referenceDiff[metric].toExponential(1)} |` : ''
    }`,
  );
}
