#!/usr/bin/env node
// Receives Alertmanager webhooks (its fixed payload, version 4) and turns drift alerts into a
// retraining request: POST /retrain → one JSON request per model to RETRAIN_URL (for example an
// Argo Events webhook event source, which starts a retraining Workflow), or a log line when
// RETRAIN_URL is unset. POST /notify/<severity> only logs (stand-in for pager, tickets, chat).
// Environment: PORT (9096), HOST (0.0.0.0), RETRAIN_URL.
import { createServer } from 'node:http';

const PORT = Number(process.env.PORT ?? 9096);
const HOST = process.env.HOST ?? '0.0.0.0';
const RETRAIN_URL = process.env.RETRAIN_URL;

/** The retraining requests for one Alertmanager payload: one per firing model. */
export function retrainRequests(payload) {
  const byModel = new Map();
  for (const alert of payload.alerts ?? []) {
    if (alert.status !== 'firing' || !alert.labels?.model) continue;
    const entry = byModel.get(alert.labels.model) ?? { model: alert.labels.model, reasons: [], features: [] };
    entry.reasons.push(alert.labels.alertname);
    if (alert.labels.feature && !entry.features.includes(alert.labels.feature))
      entry.features.push(alert.labels.feature);
    byModel.set(alert.labels.model, entry);
  }
  return [...byModel.values()].map((e) => ({ ...e, requested_at: new Date().toISOString(), source: 'mlmon' }));
}

const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  if (req.method === 'GET' && req.url === '/healthz') return res.writeHead(200).end('ok');
  let payload;
  try {
    payload = JSON.parse(body);
  } catch {
    return res.writeHead(400).end('invalid json');
  }
  if (req.method === 'POST' && req.url === '/retrain') {
    for (const request of retrainRequests(payload)) {
      console.log(`retrain: ${JSON.stringify(request)}`);
      if (RETRAIN_URL) {
        await fetch(RETRAIN_URL, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request),
        }).catch((err) => console.error(`retrain: ${RETRAIN_URL}: ${err.message}`));
      }
    }
    return res.writeHead(200).end('ok');
  }
  const notify = /^\/notify\/(\w+)$/.exec(req.url ?? '');
  if (req.method === 'POST' && notify) {
    for (const a of payload.alerts ?? [])
      console.log(`${notify[1]}: ${a.status} ${a.labels?.alertname} ${a.annotations?.description ?? ''}`);
    return res.writeHead(200).end('ok');
  }
  res.writeHead(404).end('not found');
});

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  server.listen(PORT, HOST, () => console.log(`retrain-adapter on http://${HOST}:${server.address().port}`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
