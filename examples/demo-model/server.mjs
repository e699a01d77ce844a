#!/usr/bin/env node
// The demo model service: a small HTTP credit-scoring model, instrumented the common way
// (model_predictions_total, model_prediction_errors_total, model_prediction_latency_seconds),
// that sends every prediction as an inference record to mlmon-exporter (POST /api/v1/records,
// NDJSON batches once a second). Node built-ins only: /metrics is written by hand in the
// Prometheus text format (switch to prom-client by replacing the Metrics class).
//
//   POST /predict  {"id"?, "model"?, "features": {...}} or an array of them → {"predictions": [...]}
//   GET  /metrics, GET /healthz
// Environment: PORT (8080), HOST (0.0.0.0), MLMON_URL (http://exporter:9877), MODEL_NAME
// (credit-risk), MODELS (comma list the service answers for; default MODEL_NAME), ERROR_RATE
// (0.005: share of requests that fail, so the error-rate panels have data), FLUSH_MS (1000),
// MLMON_INGEST_TOKEN or MLMON_INGEST_TOKEN_FILE (the exporter's ingest bearer token, sent as
// `Authorization: Bearer …` when set; see examples/lib/ingest-auth.mjs).
import { createServer } from 'node:http';
import { ingestAuth } from '../lib/ingest-auth.mjs';
import { modelScore } from '../traffic-generator/credit.mjs';

const PORT = Number(process.env.PORT ?? 8080);
const HOST = process.env.HOST ?? '0.0.0.0';
const MLMON_URL = (process.env.MLMON_URL ?? 'http://exporter:9877').replace(/\/$/, '');
const MODEL_NAME = process.env.MODEL_NAME ?? 'credit-risk';
const MODELS = (process.env.MODELS ?? MODEL_NAME).split(',').map((m) => m.trim());
const ERROR_RATE = Number(process.env.ERROR_RATE ?? 0.005);
const FLUSH_MS = Number(process.env.FLUSH_MS ?? 1000);
const MODEL_VERSION = process.env.MODEL_VERSION ?? 'v1';
let authHeaders;
try {
  authHeaders = ingestAuth();
} catch (err) {
  console.error(`demo-model: ${err.message}`);
  process.exit(2);
}
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

class Metrics {
  predictions = new Map();
  errors = new Map();
  latency = new Map(); // model → { counts per bucket, sum, count }

  observe(model, seconds, failed) {
    this.predictions.set(model, (this.predictions.get(model) ?? 0) + 1);
    if (failed) this.errors.set(model, (this.errors.get(model) ?? 0) + 1);
    const h = this.latency.get(model) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((le, i) => seconds <= le && h.counts[i]++);
    h.sum += seconds;
    h.count++;
    this.latency.set(model, h);
  }

  render() {
    const out = [];
    const counter = (name, help, values) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const model of MODELS) out.push(`${name}{model="${model}"} ${values.get(model) ?? 0}`);
    };
    counter('model_predictions_total', 'Prediction requests answered, failed ones included.', this.predictions);
    counter('model_prediction_errors_total', 'Prediction requests that failed.', this.errors);
    const name = 'model_prediction_latency_seconds';
    out.push(`# HELP ${name} Time to answer a prediction request.`, `# TYPE ${name} histogram`);
    for (const model of MODELS) {
      const h = this.latency.get(model) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      BUCKETS.forEach((le, i) => out.push(`${name}_bucket{model="${model}",le="${le}"} ${h.counts[i]}`));
      out.push(`${name}_bucket{model="${model}",le="+Inf"} ${h.count}`);
      out.push(`${name}_sum{model="${model}"} ${h.sum}`, `${name}_count{model="${model}"} ${h.count}`);
    }
    return out.join('\n') + '\n';
  }
}

const metrics = new Metrics();
let pending = [];
let sentRecords = 0;

async function flush() {
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  try {
    const response = await fetch(`${MLMON_URL}/api/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', ...authHeaders() },
      body: batch.map((r) => JSON.stringify(r)).join('\n'),
    });
    if (response.ok) sentRecords += batch.length;
    else console.error(`demo-model: mlmon answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  } catch (err) {
    console.error(`demo-model: cannot reach mlmon at ${MLMON_URL}: ${err.message}`);
  }
}

function predict(request) {
  const model = request.model ?? MODEL_NAME;
  if (!MODELS.includes(model)) throw Object.assign(new Error(`unknown model ${model}`), { status: 404 });
  const f = request.features;
  if (typeof f !== 'object' || f === null)
    throw Object.assign(new Error('features must be an object'), { status: 400 });
  const prediction = modelScore({ age: 41, utilization: 0.5, credit_score: 650, ...f });
  pending.push({
    model,
    id: request.id,
    features: f,
    prediction,
    timestamp: Date.now(),
    model_version: MODEL_VERSION,
  });
  return { id: request.id, model, prediction };
}

async function readBody(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

const server = createServer(async (req, res) => {
  const send = (status, body, type = 'application/json') =>
    res.writeHead(status, { 'content-type': type }).end(typeof body === 'string' ? body : JSON.stringify(body));
  if (req.method === 'GET' && req.url === '/metrics') return send(200, metrics.render(), 'text/plain; version=0.0.4');
  if (req.method === 'GET' && req.url === '/healthz') return send(200, { ok: true, sent_records: sentRecords });
  if (req.method !== 'POST' || req.url !== '/predict') return send(404, { error: 'not found' });
  const started = process.hrtime.bigint();
  let requests = [];
  try {
    const parsed = JSON.parse(await readBody(req));
    requests = Array.isArray(parsed) ? parsed : [parsed];
    // Simulated work (1-20 ms) and occasional failures, so latency and error panels show data.
    await new Promise((r) => setTimeout(r, 1 + Math.random() * 19));
    if (Math.random() < ERROR_RATE) throw Object.assign(new Error('simulated model failure'), { status: 500 });
    const predictions = requests.map(predict);
    send(200, { predictions });
  } catch (err) {
    send(err.status ?? 400, { error: err.message });
  } finally {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const failed = res.statusCode >= 500;
    for (const r of requests.length ? requests : [{}])
      metrics.observe(MODELS.includes(r.model) ? r.model : MODEL_NAME, seconds, failed);
  }
});

const timer = setInterval(flush, FLUSH_MS);
server.listen(PORT, HOST, () =>
  console.log(
    `demo-model: models ${MODELS.join(', ')} on http://${HOST}:${server.address().port}, records to ${MLMON_URL}` +
      (authHeaders().authorization ? ' (with an ingest token)' : ''),
  ),
);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    clearInterval(timer);
    await flush();
    server.close(() => process.exit(0));
  });
}
