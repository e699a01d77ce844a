#!/usr/bin/env node
// Replays synthetic applicants to the demo model with a drift scenario, and (once the exporter
// has the labels endpoint) posts the true outcome after a delay, for the performance metrics.
//   node examples/traffic-generator/generate.mjs [--scenario=data-drift] [--rps=20] [--drift-after=120s]
//       [--duration=0 (forever)] [--model-url=http://demo-model:8080] [--mlmon-url=http://exporter:9877]
//       [--label-delay=30s] [--seed=1]
// Scenarios: none, data-drift, prior-drift, concept-drift, many-models (see credit.mjs).
// Every flag also reads from the environment: SCENARIO, RPS, DRIFT_AFTER, DURATION, MODEL_URL,
// MLMON_URL, LABEL_DELAY, SEED. MLMON_INGEST_TOKEN or MLMON_INGEST_TOKEN_FILE: the exporter's
// ingest bearer token, sent with the labels when set (see examples/lib/ingest-auth.mjs).
import { parseArgs } from 'node:util';
import { ingestAuth } from '../lib/ingest-auth.mjs';
import { applicant, MODELS, random, SCENARIOS } from './credit.mjs';

const seconds = (s) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(s));
  if (!m) throw new Error(`not a duration: ${s}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] ?? 's'];
};

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: process.env.SCENARIO ?? 'data-drift' },
    rps: { type: 'string', default: process.env.RPS ?? '20' },
    'drift-after': { type: 'string', default: process.env.DRIFT_AFTER ?? '120s' },
    duration: { type: 'string', default: process.env.DURATION ?? '0' },
    'model-url': { type: 'string', default: process.env.MODEL_URL ?? 'http://demo-model:8080' },
    'mlmon-url': { type: 'string', default: process.env.MLMON_URL ?? 'http://exporter:9877' },
    'label-delay': { type: 'string', default: process.env.LABEL_DELAY ?? '30s' },
    seed: { type: 'string', default: process.env.SEED ?? '1' },
  },
});
if (!SCENARIOS.includes(values.scenario)) {
  console.error(`unknown scenario ${values.scenario}; one of ${SCENARIOS.join(', ')}`);
  process.exit(2);
}
let authHeaders;
try {
  authHeaders = ingestAuth();
} catch (err) {
  console.error(`traffic: ${err.message}`);
  process.exit(2);
}
const rps = Number(values.rps);
const driftAfter = seconds(values['drift-after']) * 1000;
const duration = seconds(values.duration) * 1000;
const labelDelay = seconds(values['label-delay']) * 1000;
const rng = random(Number(values.seed));
const started = Date.now();
let sent = 0;
let failed = 0;
let labelsEnabled = true;
let lastRefusal = 0;
const labels = [];

async function sendLabels() {
  const due = [];
  while (labels.length && labels[0].due <= Date.now()) due.push(labels.shift().record);
  if (!due.length || !labelsEnabled) return;
  try {
    const response = await fetch(`${values['mlmon-url']}/api/v1/labels`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', ...authHeaders() },
      body: due.map((r) => JSON.stringify(r)).join('\n'),
    });
    const answer = await response.text();
    if (response.status === 404) {
      labelsEnabled = false;
      console.log('traffic: the exporter has no /api/v1/labels yet; not sending labels');
    } else if ((response.status === 401 || response.status === 429) && Date.now() - lastRefusal > 30_000) {
      // At most one line per 30 s: a missing or wrong token (401), or the ingest rate limit (429).
      lastRefusal = Date.now();
      console.error(`traffic: the exporter answered ${response.status} to labels: ${answer.slice(0, 200)}`);
    }
  } catch {
    // the exporter may still be starting
  }
}

async function tick() {
  const now = Date.now();
  const drifted = now - started >= driftAfter;
  const batch = [];
  for (let i = 0; i < Math.max(1, Math.round(rps / 10)); i++) {
    const { features, label } = applicant(rng, values.scenario, drifted);
    const model = values.scenario === 'many-models' ? MODELS[Math.floor(rng.next() * MODELS.length)] : MODELS[0];
    const id = `${now.toString(36)}-${sent + i}`;
    batch.push({ id, model, features });
    labels.push({ due: now + labelDelay, record: { model, id, label, timestamp: now } });
  }
  try {
    const response = await fetch(`${values['model-url']}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    if (!response.ok) failed += batch.length;
    await response.arrayBuffer();
  } catch {
    failed += batch.length;
  }
  sent += batch.length;
  await sendLabels();
}

console.log(
  `traffic: scenario ${values.scenario}, ${rps} records/s to ${values['model-url']}, drift after ${driftAfter / 1000}s`,
);
const timer = setInterval(tick, 100);
const report = setInterval(() => console.log(`traffic: ${sent} sent, ${failed} failed`), 30_000);
const stop = () => {
  clearInterval(timer);
  clearInterval(report);
  console.log(`traffic: done, ${sent} sent, ${failed} failed`);
  process.exit(0);
};
if (duration > 0) setTimeout(stop, duration);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
