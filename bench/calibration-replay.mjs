// Replay bench for drift alarms, through `mlmon backfill`: weeks of synthetic traffic with
// timestamps (no waiting in real time), replayed for several references and thresholds, printed
// side by side:
//   - the share of feature-windows alarmed on quiet traffic (a daily and a weekly cycle of the
//     numeric features' means and of the categories' shares, plus autocorrelated noise: an AR(1)
//     offset of each numeric mean per minute);
//   - the delay from injecting a 0.5σ shift in n0 and a new category (5 %) in c0 to their drift flag;
//   - on stationary traffic (independent values, no cycle), the observed false-alarm rate of the
//     calibrated thresholds at 0.01 and 0.05. That replay runs at 2 records/s (7,200 values per
//     window against a reference of 151,200 per week): the calibrated rate is a rate over
//     references as well as windows, and a replay has one reference, common to all its windows;
//     it stands in for "a reference drawn from the same distribution" only when it is much larger
//     than a window (at 200 records/s, 720,000-value windows against it, each feature's alarms
//     follow how far its one reference happens to lie from the truth: 0 to 24 % at 0.01).
//
// Speed-up, and why it is faithful: at 200 records/s four weeks are 484 M records. The traffic is
// fed to `mlmon backfill` as aggregate lines (one per minute: each feature's bin counts, as the
// database source hands them to the windows) instead of one line per record. The windows,
// statistics, thresholds and decisions are the exporter's own; what the bench does instead of the
// exporter is binning: each minute's values are drawn as a multinomial sample of the minute's
// distribution over the cells between the reference profile's edges (exactly how binning
// n independent values of that distribution is distributed), with the cells' sums from the
// truncated normal's moments. The reference (a timestamped CSV of the 4 weeks before, at a lower
// rate) is read and profiled by the exporter as usual.
//   node bench/calibration-replay.mjs [--weeks 4] [--rate 200] [--reference-rate 0.25] [--step 10m]
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { rowGenerator } from './lib/synthetic.mjs';
import { buildIfStale } from '../exporter/scripts/build.mjs';

await buildIfStale(); // the bin runs the built dist/
const { values } = parseArgs({
  options: {
    weeks: { type: 'string', default: '4' },
    rate: { type: 'string', default: '200' },
    'reference-rate': { type: 'string', default: '0.25' },
    step: { type: 'string', default: '10m' },
    'stationary-rate': { type: 'string', default: '2' },
  },
});
const WEEKS = Number(values.weeks);
const RATE = Number(values.rate);
const REFERENCE_RATE = Number(values['reference-rate']);
const STATIONARY_RATE = Number(values['stationary-rate']);
const NUMERIC = ['n0', 'n1', 'n2', 'n3'];
const CATEGORIES = ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'];
const BASE_SHARES = [0.35, 0.25, 0.15, 0.12, 0.08, 0.05];
const FEATURES = [...NUMERIC, 'c0'];
const DIR = 'bench/out/calibration-replay';
mkdirSync(DIR, { recursive: true });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MINUTES = WEEKS * 7 * 1440;
// Replays start on a Monday 00:00 UTC a little over `WEEKS` weeks ago; the reference covers the weeks before.
const MONDAY = 4 * DAY; // 1970-01-05 was a Monday
const start = Math.floor((Date.now() - (WEEKS * WEEK + 2 * DAY) - MONDAY) / WEEK) * WEEK + MONDAY;
const referenceStart = start - WEEKS * WEEK;
const shiftAt = start + Math.floor(WEEKS / 2) * WEEK + 2 * DAY + 10 * HOUR + 17 * MINUTE; // a Wednesday, 10:17

function normal(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** The traffic's state: per minute, each numeric feature's mean and the categories' shares. */
class Traffic {
  constructor(seed, kind) {
    this.random = rowGenerator(seed);
    this.kind = kind; // 'cyclic' | 'stationary'
    this.offsets = NUMERIC.map(() => 0);
  }

  /** Advances to minute `t` (call once per minute, in order) and returns its distributions. */
  minute(t, shifted) {
    const cyclic = this.kind === 'cyclic';
    const dayPhase = (2 * Math.PI * (t % DAY)) / DAY;
    const weekend = ((t - MONDAY) % WEEK) / DAY >= 5;
    const means = NUMERIC.map((_, i) => {
      if (!cyclic) return 0;
      // AR(1) per minute: ρ = 0.95, stationary σ = 0.1 (a window's mean wanders by ~0.05σ).
      this.offsets[i] = 0.95 * this.offsets[i] + Math.sqrt(1 - 0.95 ** 2) * 0.1 * normal(this.random);
      return 0.5 * Math.sin(dayPhase + i) + (weekend ? 0.3 : 0) + this.offsets[i];
    });
    if (shifted) means[0] += 0.5;
    let shares = BASE_SHARES.map((s, i) => (cyclic ? s * Math.exp(0.3 * Math.sin(dayPhase + i)) : s));
    const total = shares.reduce((a, b) => a + b, 0);
    shares = shares.map((s) => s / total);
    const categories = CATEGORIES.map((c, i) => [c, shares[i]]);
    if (shifted) categories.push(['new', 0.05]);
    const sum = categories.reduce((a, [, s]) => a + s, 0);
    return { means, categories: categories.map(([c, s]) => [c, s / sum]) };
  }
}

function pick(random, categories) {
  let u = random();
  for (const [c, s] of categories) if ((u -= s) < 0) return c;
  return categories[categories.length - 1][0];
}

async function writeLines(path, lines) {
  const out = createWriteStream(path);
  for (const line of lines) if (!out.write(line)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** The reference rows: `ts` then the features, at REFERENCE_RATE over the weeks before the replay. */
function* referenceRows(kind, seed) {
  const traffic = new Traffic(seed, kind);
  const perMinute = REFERENCE_RATE * 60;
  yield `ts,${FEATURES.join(',')}\n`;
  let carry = 0;
  for (let m = 0; m < MINUTES; m++) {
    const t = referenceStart + m * MINUTE;
    const { means, categories } = traffic.minute(t, false);
    carry += perMinute;
    const rows = Math.floor(carry);
    carry -= rows;
    for (let r = 0; r < rows; r++) {
      const ts = t + Math.floor((r * MINUTE) / rows);
      const numbers = means.map((mean) => (mean + normal(traffic.random)).toFixed(4));
      yield `${ts},${numbers.join(',')},${pick(traffic.random, categories)}\n`;
    }
  }
}

// --- binning by multinomial draws ---------------------------------------------------------------
const SQRT2 = Math.SQRT2;
function erfc(x) {
  // Numerical Recipes' erfcc (fractional error < 1.2e-7).
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
const cdf = (x) => (x === -Infinity ? 0 : x === Infinity ? 1 : 0.5 * erfc(-x / SQRT2));
const pdf = (x) => (Number.isFinite(x) ? Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) : 0);

function binomial(random, n, p) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const variance = n * p * (1 - p);
  if (variance >= 25) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(variance) * normal(random))));
  let k = 0; // small counts: inversion
  let pmf = Math.pow(1 - p, n);
  let cum = pmf;
  const u = random();
  while (u > cum && k < n) {
    pmf *= ((p / (1 - p)) * (n - k)) / (k + 1);
    k++;
    cum += pmf;
  }
  return k;
}

function multinomial(random, n, probabilities) {
  const out = new Array(probabilities.length).fill(0);
  let left = n;
  let mass = 1;
  for (let i = 0; i < probabilities.length && left > 0; i++) {
    const k = i === probabilities.length - 1 ? left : binomial(random, left, Math.min(1, probabilities[i] / mass));
    out[i] = k;
    left -= k;
    mass -= probabilities[i];
  }
  return out;
}

/** binIndex as the exporter's: the number of interior edges ≤ x. */
function binIndex(x, edges) {
  let k = 0;
  while (k < edges.length && edges[k] <= x) k++;
  return k;
}

/** The cells between every edge of a numeric feature's profile, with their PSI and fine bins. */
function cellsOf(profile) {
  const cuts = [...new Set([...profile.edges, ...profile.fine_edges, profile.min, profile.max])].sort((a, b) => a - b);
  const bounds = [-Infinity, ...cuts, Infinity];
  const cells = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [lo, hi] = [bounds[i], bounds[i + 1]];
    // Cells are [lo, hi): the left bound decides the bin (edges belong to the bin on their right).
    const inside = Number.isFinite(lo) ? lo : hi - 1;
    cells.push({
      lo,
      hi,
      bin: binIndex(inside, profile.edges),
      fine: binIndex(inside, profile.fine_edges),
      unusual: inside < profile.min || inside >= profile.max,
    });
  }
  return cells;
}

function numericAggregate(random, profile, cells, mean, n) {
  const z = cells.map((c) => [c.lo - mean, c.hi - mean]);
  const probabilities = z.map(([a, b]) => Math.max(0, cdf(b) - cdf(a)));
  const total = probabilities.reduce((s, p) => s + p, 0);
  const counts = multinomial(
    random,
    n,
    probabilities.map((p) => p / total),
  );
  const bins = new Array(profile.counts.length).fill(0);
  const fine = new Array(profile.fine_counts.length).fill(0);
  let unusual = 0;
  let centredSum = 0;
  let centredSumSquares = 0;
  let min = Infinity;
  let max = -Infinity;
  cells.forEach((cell, i) => {
    const k = counts[i];
    if (k === 0) return;
    bins[cell.bin] += k;
    fine[cell.fine] += k;
    if (cell.unusual) unusual += k;
    // Truncated normal moments of the cell, around the reference mean.
    const [a, b] = z[i];
    const mass = Math.max(probabilities[i], 1e-300);
    const cellMean = mean + (pdf(a) - pdf(b)) / mass;
    const aPdf = Number.isFinite(a) ? a * pdf(a) : 0;
    const bPdf = Number.isFinite(b) ? b * pdf(b) : 0;
    const variance = Math.max(0, 1 + (aPdf - bPdf) / mass - ((pdf(a) - pdf(b)) / mass) ** 2);
    const offset = cellMean - profile.mean;
    centredSum += k * offset;
    centredSumSquares += k * (variance + offset * offset);
    min = Math.min(min, Number.isFinite(cell.lo) ? cell.lo : mean - 5);
    max = Math.max(max, Number.isFinite(cell.hi) ? cell.hi : mean + 5);
  });
  return { present: n, missing: 0, unusual, bins, fine, finite: n, centredSum, centredSumSquares, min, max };
}

function categoricalAggregate(random, profile, categories, n) {
  const counts = multinomial(
    random,
    n,
    categories.map(([, s]) => s),
  );
  const bins = new Array(profile.counts.length).fill(0);
  let unusual = 0;
  categories.forEach(([c, _], i) => {
    const at = profile.top.indexOf(c);
    bins[at >= 0 ? at : profile.top.length] += counts[i];
    if (!profile.categories.some(([known]) => known === c)) unusual += counts[i];
  });
  return { present: n, missing: 0, unusual, bins };
}

/** One aggregate line per minute of the replay. */
function* replayLines(kind, seed, profile, shift, rate = RATE) {
  const traffic = new Traffic(seed, kind);
  const cells = Object.fromEntries(NUMERIC.map((f) => [f, cellsOf(profile.features[f])]));
  const perMinute = rate * 60;
  for (let m = 0; m < MINUTES; m++) {
    const t = start + m * MINUTE;
    const { means, categories } = traffic.minute(t, shift && t >= shiftAt);
    const aggregates = {};
    NUMERIC.forEach((f, i) => {
      aggregates[f] = numericAggregate(traffic.random, profile.features[f], cells[f], means[i], perMinute);
    });
    aggregates.c0 = categoricalAggregate(traffic.random, profile.features.c0, categories, perMinute);
    yield `${JSON.stringify({ model: 'm', timestamp: t, records: perMinute, aggregates })}\n`;
  }
}

function mlmon(args) {
  return execFileSync(process.execPath, ['exporter/bin/mlmon.mjs', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

/** Drift flags per step and feature, from the backfilled OpenMetrics. */
function driftFlags(path) {
  const flags = new Map();
  const pattern = /^mlmon_feature_drift_detected\{model="m",feature="([^"]+)",window="1h"\} (\d) (\d+)/;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = pattern.exec(line);
    if (!match) continue;
    const atMs = Number(match[3]) * 1000;
    if (!flags.has(atMs)) flags.set(atMs, new Map());
    flags.get(atMs).set(match[1], match[2] === '1');
  }
  return flags;
}

function replay(name, referenceYaml, drift, input) {
  const config = `${DIR}/${name}.yml`;
  writeFileSync(
    config,
    `models:\n  - name: m\n    reference: ${referenceYaml}\n    exclude: [ts]\n    windows: [1h]\n` +
      `    min_samples: 1000\n    drift: ${drift}\n`,
  );
  const output = `${DIR}/${name}.om`;
  const started = performance.now();
  mlmon(['backfill', '--config', config, '--input', input, '--step', values.step, '--output', output]);
  return { flags: driftFlags(output), seconds: (performance.now() - started) / 1000 };
}

/** Alarmed share of feature-windows at whole hours (non-overlapping 1h windows), before `until`. */
function alarmedShare(flags, until = Infinity) {
  let windows = 0;
  let alarms = 0;
  for (const [atMs, byFeature] of flags) {
    if (atMs < start + HOUR || atMs % HOUR !== 0 || atMs >= until) continue;
    windows += byFeature.size;
    alarms += [...byFeature.values()].filter(Boolean).length;
  }
  return { share: alarms / windows, windows };
}

function delay(flags, feature) {
  const steps = [...flags.keys()].filter((t) => t >= shiftAt && flags.get(t).get(feature)).sort((a, b) => a - b);
  return steps.length ? (steps[0] - shiftAt) / MINUTE : Infinity;
}

// --- run ------------------------------------------------------------------------------------------
const began = performance.now();
for (const kind of ['cyclic', 'stationary']) await writeLines(`${DIR}/reference-${kind}.csv`, referenceRows(kind, 1));
const profiles = {};
for (const kind of ['cyclic', 'stationary']) {
  const out = `${DIR}/profile-${kind}.json`;
  mlmon([
    'profile',
    '--reference',
    `${DIR}/reference-${kind}.csv`,
    '--exclude',
    'ts',
    '--categorical',
    'c0',
    '--out',
    out,
  ]);
  profiles[kind] = JSON.parse(readFileSync(out, 'utf8'));
}
await writeLines(`${DIR}/quiet.jsonl`, replayLines('cyclic', 2, profiles.cyclic, false));
await writeLines(`${DIR}/shift.jsonl`, replayLines('cyclic', 2, profiles.cyclic, true));
await writeLines(`${DIR}/stationary.jsonl`, replayLines('stationary', 3, profiles.stationary, false, STATIONARY_RATE));
const generated = (performance.now() - began) / 1000;

const cyclicRef = `{ path: reference-cyclic.csv, format: csv }`;
const seasonalRef = `{ path: reference-cyclic.csv, timestamp: ts, season: hour_of_week }`;
const calibrated = (statistic, rate = 0.01, correction = 'sidak') =>
  `{ statistic: ${statistic}, calibration: false_alarm_rate, false_alarm_rate: ${rate}, correction: ${correction} }`;
const ROWS = [
  ['static-fixed (PSI > 0.2)', cyclicRef, '{ statistic: psi }'],
  ['static-calibrated (PSI)', cyclicRef, calibrated('psi')],
  ['seasonal-calibrated (PSI)', seasonalRef, calibrated('psi')],
  ['static-fixed (KS p < 0.05)', cyclicRef, '{ statistic: ks_pvalue }'],
  ['seasonal-calibrated (KS p)', seasonalRef, calibrated('ks_pvalue')],
];
const results = [];
for (const [name, ref, drift] of ROWS) {
  const slug = name.replace(/[^a-z]+/gi, '-');
  const quiet = replay(`quiet-${slug}`, ref, drift, `${DIR}/quiet.jsonl`);
  const shift = replay(`shift-${slug}`, ref, drift, `${DIR}/shift.jsonl`);
  results.push({ name, quiet: alarmedShare(quiet.flags), shift, seconds: quiet.seconds + shift.seconds });
}
const stationary = [];
for (const statistic of ['psi', 'ks_pvalue']) {
  for (const rate of [0.01, 0.05]) {
    const ref = `{ path: reference-stationary.csv, format: csv }`;
    const run = replay(
      `stationary-${statistic}-${rate}`,
      ref,
      calibrated(statistic, rate, 'none'),
      `${DIR}/stationary.jsonl`,
    );
    stationary.push({ statistic, rate, ...alarmedShare(run.flags) });
  }
}

const records = MINUTES * RATE * 60;
const pct = (x) => `${(100 * x).toFixed(2)} %`;
const minutes = (m) => (Number.isFinite(m) ? `${m} min` : 'not detected');
console.log(
  `${WEEKS} weeks at ${RATE} records/s (${records.toLocaleString('en')} records as ${MINUTES.toLocaleString('en')} one-minute aggregate lines), ` +
    `${FEATURES.length} features (${NUMERIC.length} numeric + c0), 1h windows, drift flags read every ${values.step}; ` +
    `reference: the ${WEEKS} weeks before at ${REFERENCE_RATE} records/s; calibrated: false_alarm_rate 0.01 per model-window, Šidák ` +
    `(${pct(1 - 0.99 ** (1 / FEATURES.length))} per feature-window); shift injected ${new Date(shiftAt).toISOString()}. ` +
    `Load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; traffic generated in ${generated.toFixed(0)} s.\n`,
);
console.log(
  '| references and thresholds | quiet: feature-windows alarmed | 0.5σ shift in n0: delay | new category in c0: delay | backfill time (both replays) |',
);
console.log('|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.name} | ${pct(r.quiet.share)} of ${r.quiet.windows} | ${minutes(delay(r.shift.flags, 'n0'))} | ${minutes(delay(r.shift.flags, 'c0'))} | ${r.seconds.toFixed(0)} s |`,
  );
}
console.log(
  `\nStationary traffic (independent values, no cycle) at ${STATIONARY_RATE} records/s, static reference, calibrated, correction none:\n`,
);
console.log('| statistic | configured false_alarm_rate | observed (feature-windows alarmed) | within ±50 % |');
console.log('|---|---|---|---|');
for (const s of stationary) {
  const ok = s.share >= s.rate * 0.5 && s.share <= s.rate * 1.5;
  console.log(`| ${s.statistic} | ${s.rate} | ${pct(s.share)} of ${s.windows} | ${ok ? 'yes' : 'no'} |`);
}
