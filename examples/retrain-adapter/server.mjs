#!/usr/bin/env node
// Receives Alertmanager webhooks (its fixed payload, version 4; Grafana's webhook contact point
// sends the same shape) and turns drift alerts into a retraining request: POST /retrain → one
// JSON request per model to RETRAIN_URL (for example an Argo Events webhook event source, which
// starts a retraining Workflow), or a log line when RETRAIN_URL is unset. POST /notify/<severity>
// only logs (stand-in for pager, tickets, chat).
//
// Idempotent per alert group: Alertmanager re-sends a firing group every group_interval when an
// alert joins it and every repeat_interval anyway, so a notification whose alerts (fingerprint and
// start time) this adapter already requested retraining for, in the same group, requests nothing.
// A new firing episode (alerts with a new start time) requests again. The forwarded request
// carries an Idempotency-Key (group and episode) for a receiver that de-duplicates too.
// Environment: PORT (9096), HOST (0.0.0.0), RETRAIN_URL.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const PORT = Number(process.env.PORT ?? 9096);
const HOST = process.env.HOST ?? '0.0.0.0';
const RETRAIN_URL = process.env.RETRAIN_URL;
/** Request bodies are Alertmanager payloads: a few kB per alert; refuse anything absurd. */
const MAX_BODY_BYTES = 1 << 20;

/** The retraining requests for one Alertmanager payload: one per firing model. */
export function retrainRequests(payload) {
  const byModel = new Map();
  for (const alert of payload.alerts ?? []) {
    if (alert.status !== 'firing' || !alert.labels?.model) continue;
    const entry = byModel.get(alert.labels.model) ?? {
      model: alert.labels.model,
      reasons: [],
      features: [],
      alerts: [],
    };
    if (!entry.reasons.includes(alert.labels.alertname)) entry.reasons.push(alert.labels.alertname);
    if (alert.labels.feature && !entry.features.includes(alert.labels.feature))
      entry.features.push(alert.labels.feature);
    entry.alerts.push(alertId(alert));
    byModel.set(alert.labels.model, entry);
  }
  return [...byModel.values()].map(({ alerts, ...e }) => ({
    ...e,
    group: payload.groupKey ?? '',
    alerts,
    requested_at: new Date().toISOString(),
    source: 'mlmon',
  }));
}

/** One alert of one firing episode: its fingerprint (or labels) and when it started. */
function alertId(alert) {
  const identity = alert.fingerprint ?? JSON.stringify(Object.entries(alert.labels ?? {}).sort());
  return `${identity}@${alert.startsAt ?? ''}`;
}

/**
 * Remembers which alerts of which group already led to a retraining request. Bounded: the oldest
 * groups are forgotten first (a forgotten group can request once more, never fewer).
 */
export class RetrainLedger {
  constructor(maxGroups = 10_000) {
    this.maxGroups = maxGroups;
    /** `${group}\n${model}` → the alert ids already requested for. */
    this.groups = new Map();
  }

  /** The requests not yet made for their group; records them as made. */
  admit(requests) {
    return requests.filter((request) => {
      const key = `${request.group}\n${request.model}`;
      const seen = this.groups.get(key);
      if (seen && request.alerts.some((id) => seen.has(id))) {
        for (const id of request.alerts) seen.add(id);
        return false;
      }
      this.groups.delete(key);
      this.groups.set(key, new Set(request.alerts));
      if (this.groups.size > this.maxGroups) this.groups.delete(this.groups.keys().next().value);
      return true;
    });
  }
}

/** The key of one forwarded request: its group, model and the alerts that started the episode. */
export function idempotencyKey(request) {
  const episode = [...request.alerts].sort()[0] ?? '';
  return createHash('sha256').update(`${request.group}\n${request.model}\n${episode}`).digest('hex').slice(0, 32);
}

const ledger = new RetrainLedger();

const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_BODY_BYTES) return res.writeHead(413).end('payload too large');
  }
  if (req.method === 'GET' && req.url === '/healthz') return res.writeHead(200).end('ok');
  let payload;
  try {
    payload = JSON.parse(body);
  } catch {
    return res.writeHead(400).end('invalid json');
  }
  if (req.method === 'POST' && req.url === '/retrain') {
    const requests = retrainRequests(payload);
    const fresh = ledger.admit(requests);
    for (const request of requests.filter((r) => !fresh.includes(r)))
      console.log(`retrain: ${request.model} already requested for this alert group, skipped`);
    for (const { alerts, ...request } of fresh) {
      const key = idempotencyKey({ ...request, alerts });
      console.log(`retrain: ${JSON.stringify(request)} idempotency-key=${key}`);
      if (RETRAIN_URL) {
        await fetch(RETRAIN_URL, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
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
