// Replay bench for drift thresholds, through `mlmon backfill`: synthetic traffic with timestamps
// (no waiting in real time) replayed for a fixed PSI threshold (0.2) and a calibrated one
// (`false_alarm_rate`), printed side by side:
//   - the share of feature-windows (and of model-windows) alarmed on quiet traffic, stationary
//     and with a daily cycle of the numeric features' means (±0.3σ), which a static reference
//     drawn over whole days does not model;
//   - the delay from injecting a 0.5σ shift in one feature to its drift flag.
//   node bench/calibration-replay.mjs [--hours 24] [--rate 2] [--features 8] [--window 10m]
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rowGenerator } from './lib/synthetic.mjs';
import { buildIfStale } from '../exporter/scripts/build.mjs';

await buildIfStale(); // the bin runs the built dist/
const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '24' },
    rate: { type: 'string', default: '2' },
    features: { type: 'string', default: '8' },
    window: { type: 'string', default: '10m' },
    'false-alarm-rate': { type: 'string', default: '0.01' },
  },
});
const HOURS = Number(values.hours);
const RATE = Number(values.rate);
const FEATURES = Number(values.features);
const WINDOW_MIN = Number(/^(\d+)m$/.exec(values.window)?.[1] ?? NaN);
const ALPHA = Number(values['false-alarm-rate']);
if (!(WINDOW_MIN > 0)) throw new Error('--window: minutes, e.g. 10m');
const DIR = 'bench/out/calibration-replay';
mkdirSync(DIR, { recursive: true });

const DAY_MS = 86_400_000;
const start = Math.floor((Date.now() - (HOURS + 2) * 3_600_000) / DAY_MS) * DAY_MS;
const shiftAt = start + (HOURS / 2) * 3_600_000;

function normal(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** One record's features at time t: numeric n0… around their cycle, one categorical c0. */
function features(random, t, scenario) {
  const out = {};
  const cycle = scenario === 'daily-cycle' ? 0.3 * Math.sin((2 * Math.PI * (t % DAY_MS)) / DAY_MS) : 0;
  for (let i = 0; i < FEATURES - 1; i++) {
    const shift = scenario === 'shift' && i === 0 && t >= shiftAt ? 0.5 : 0;
    out[`n${i}`] = Math.round((normal(random) + cycle + shift) * 1e4) / 1e4;
  }
  out.c0 = `v${Math.floor(random() * random() * 8)}`;
  return out;
}

async function writeLines(path, count, line) {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) if (!out.write(line(i))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

async function writeReference(path, scenario) {
  const random = rowGenerator(1);
  const names = [...Array.from({ length: FEATURES - 1 }, (_, i) => `n${i}`), 'c0'];
  await writeLines(path, 20_001, (i) => {
    if (i === 0) return `${names.join(',')}\n`;
    // Reference rows spread over whole days, so a cycle averages out in it.
    const f = features(random, start + Math.floor(random() * DAY_MS), scenario === 'shift' ? 'stationary' : scenario);
    return `${names.map((n) => f[n]).join(',')}\n`;
  });
}

async function writeRecords(path, scenario) {
  const random = rowGenerator(2);
  const count = Math.floor(HOURS * 3600 * RATE);
  await writeLines(path, count, (i) => {
    const t = start + Math.floor((i * 1000) / RATE);
    return `${JSON.stringify({ model: 'm', features: features(random, t, scenario), timestamp: t })}\n`;
  });
}

const THRESHOLDS = {
  'static-fixed': '{ statistic: psi }',
  'static-calibrated': `{ statistic: psi, calibration: false_alarm_rate, false_alarm_rate: ${ALPHA}, correction: none }`,
};

/** Drift flags per feature and step, from the backfilled OpenMetrics. */
function driftFlags(path) {
  const flags = new Map();
  const pattern = /^mlmon_feature_drift_detected\{model="m",feature="([^"]+)",window="[^"]+"\} (\d) (\d+)/;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = pattern.exec(line);
    if (!match) continue;
    const [, feature, value, seconds] = match;
    const atMs = Number(seconds) * 1000;
    if (!flags.has(atMs)) flags.set(atMs, new Map());
    flags.get(atMs).set(feature, value === '1');
  }
  return flags;
}

function replay(scenario, thresholds) {
  const config = `${DIR}/${scenario}-${thresholds}.yml`;
  writeFileSync(
    config,
    `models:\n  - name: m\n    reference: { path: ${scenario}-reference.csv }\n    windows: [${values.window}]\n` +
      `    min_samples: 500\n    drift: ${THRESHOLDS[thresholds]}\n`,
  );
  const output = `${DIR}/${scenario}-${thresholds}.om`;
  const started = performance.now();
  execFileSync(process.execPath, [
    'exporter/bin/mlmon.mjs',
    'backfill',
    '--config',
    config,
    '--input',
    `${DIR}/${scenario}.jsonl`,
    '--output',
    output,
  ]);
  return { flags: driftFlags(output), seconds: (performance.now() - started) / 1000 };
}

/** Alarmed share over non-overlapping windows, once the first window is full. */
function quietShares(flags) {
  let featureWindows = 0;
  let featureAlarms = 0;
  let modelWindows = 0;
  let modelAlarms = 0;
  for (const [atMs, byFeature] of flags) {
    if (atMs < start + WINDOW_MIN * 60_000 || (atMs - start) % (WINDOW_MIN * 60_000) !== 0) continue;
    const alarms = [...byFeature.values()].filter(Boolean).length;
    featureWindows += byFeature.size;
    featureAlarms += alarms;
    modelWindows++;
    if (alarms > 0) modelAlarms++;
  }
  return { feature: featureAlarms / featureWindows, model: modelAlarms / modelWindows, featureWindows };
}

function detectionDelay(flags) {
  const steps = [...flags.keys()].filter((t) => t >= shiftAt && flags.get(t).get('n0')).sort((a, b) => a - b);
  return steps.length ? (steps[0] - shiftAt) / 60_000 : Infinity;
}

const rows = [];
for (const scenario of ['stationary', 'daily-cycle', 'shift']) {
  await writeReference(`${DIR}/${scenario}-reference.csv`, scenario);
  await writeRecords(`${DIR}/${scenario}.jsonl`, scenario);
  for (const thresholds of Object.keys(THRESHOLDS)) {
    const { flags, seconds } = replay(scenario, thresholds);
    rows.push({ scenario, thresholds, flags, seconds });
  }
}

const records = Math.floor(HOURS * 3600 * RATE);
console.log(
  `${HOURS} h at ${RATE} records/s (${records.toLocaleString('en')} records), ${FEATURES} features, ` +
    `window ${values.window} (${WINDOW_MIN * 60 * RATE} records), calibrated false_alarm_rate ${ALPHA} per feature-window\n`,
);
const pct = (x) => `${(100 * x).toFixed(2)} %`;
console.log(
  '| thresholds | stationary: feature-windows alarmed | model-windows | daily cycle: feature-windows | model-windows | 0.5σ shift: delay | backfill time |',
);
console.log('|---|---|---|---|---|---|---|');
for (const thresholds of Object.keys(THRESHOLDS)) {
  const get = (scenario) => rows.find((r) => r.scenario === scenario && r.thresholds === thresholds);
  const stationary = quietShares(get('stationary').flags);
  const cycle = quietShares(get('daily-cycle').flags);
  const delay = detectionDelay(get('shift').flags);
  console.log(
    `| ${thresholds} | ${pct(stationary.feature)} of ${stationary.featureWindows} | ${pct(stationary.model)} | ${pct(cycle.feature)} | ${pct(cycle.model)} | ${
      Number.isFinite(delay) ? `${delay} min` : 'not detected'
    } | ${get('shift').seconds.toFixed(1)} s |`,
  );
}
