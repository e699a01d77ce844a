// Retraining requests: one path by default (Prometheus rules → Alertmanager → the adapter),
// Grafana's managed rules opt-in, and the adapter (examples/retrain-adapter) idempotent per alert
// group: Alertmanager's repeats and group updates request nothing new, a new firing episode does.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROVISIONING_DIR, ROOT, boundPort, run, spawnManaged } from '../../testkit/index.ts';
// @ts-expect-error: a plain JavaScript example without type declarations
import { RetrainLedger, idempotencyKey, retrainRequests } from '../../examples/retrain-adapter/server.mjs';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const alert = (feature: string, startsAt: string, status = 'firing') => ({
  status,
  labels: { alertname: 'MlmonFeatureDriftWarning', model: 'credit', feature, severity: 'warning' },
  fingerprint: `fp-${feature}`,
  startsAt,
});
const payload = (groupKey: string, alerts: object[]) => ({ version: '4', status: 'firing', groupKey, alerts });
const started = minutesAgo(40);
// One instant per alert: two calls a millisecond apart would be two episodes.
const incomeStarted = minutesAgo(5);

test('the ledger admits a group once, ignores its repeats and updates, admits a new episode or group', () => {
  const ledger = new RetrainLedger();
  const first = payload('{}/{...}:{model="credit"}', [alert('age', started)]);
  assert.equal(ledger.admit(retrainRequests(first)).length, 1);
  assert.equal(ledger.admit(retrainRequests(first)).length, 0, 'repeat_interval re-send');
  const joined = payload(first.groupKey, [alert('age', started), alert('income', incomeStarted)]);
  assert.equal(ledger.admit(retrainRequests(joined)).length, 0, 'an alert joined the firing group');
  const afterFirstResolved = payload(first.groupKey, [alert('income', incomeStarted)]);
  assert.equal(ledger.admit(retrainRequests(afterFirstResolved)).length, 0, 'the episode goes on');
  const again = payload(first.groupKey, [alert('age', minutesAgo(1))]);
  assert.equal(ledger.admit(retrainRequests(again)).length, 1, 'all resolved, then a new episode');
  const otherGroup = payload('grafana-group', [alert('age', started)]);
  assert.equal(ledger.admit(retrainRequests(otherGroup)).length, 1, 'another alert group');
});

test('the ledger is bounded: the oldest group is forgotten first', () => {
  const ledger = new RetrainLedger(2);
  for (const g of ['a', 'b', 'c']) ledger.admit(retrainRequests(payload(g, [alert('age', started)])));
  assert.equal(ledger.admit(retrainRequests(payload('c', [alert('age', started)]))).length, 0);
  assert.equal(ledger.admit(retrainRequests(payload('a', [alert('age', started)]))).length, 1);
});

test('the idempotency key is stable for a notification and new for a new episode', () => {
  const first = payload('g', [alert('age', started)]);
  const [a] = retrainRequests(first);
  const [again] = retrainRequests(first);
  const [later] = retrainRequests(payload('g', [alert('age', minutesAgo(1))]));
  assert.match(idempotencyKey(a), /^[0-9a-f]{32}$/);
  assert.equal(idempotencyKey(a), idempotencyKey(again));
  assert.notEqual(idempotencyKey(a), idempotencyKey(later));
});

const stops: (() => void)[] = [];
after(() => stops.forEach((stop) => stop()));

test('the adapter forwards one request per group episode to RETRAIN_URL, with its Idempotency-Key', async () => {
  const received: { body: { model: string; group: string }; headers: IncomingHttpHeaders }[] = [];
  const downstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ body: JSON.parse(body), headers: req.headers });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  stops.push(() => downstream.close());
  const adapter = spawnManaged(process.execPath, [join(ROOT, 'examples/retrain-adapter/server.mjs')], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      RETRAIN_URL: `http://127.0.0.1:${(downstream.address() as { port: number }).port}/retrain`,
    },
  });
  stops.push(() => void adapter.stop());
  const port = await boundPort(adapter, 'the adapter to listen', /retrain-adapter on http:\/\/127\.0\.0\.1:(\d+)/);
  const url = `http://127.0.0.1:${port}`;
  const post = async (body: object) => {
    const response = await fetch(`${url}/retrain`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
  };
  const group = '{}/{alertname=~"MlmonFeatureDrift..."}:{model="credit"}';
  await post(payload(group, [alert('age', started)]));
  await post(payload(group, [alert('age', started)]));
  await post(payload(group, [alert('age', started), alert('income', minutesAgo(2))]));
  await post(payload(group, [alert('age', minutesAgo(0.5))]));
  // The adapter forwards before it answers, so all four posts are settled.
  assert.equal(received.length, 2, JSON.stringify(received.map((r) => r.body)));
  assert.deepEqual(
    received.map((r) => [r.body.model, r.body.group]),
    [
      ['credit', group],
      ['credit', group],
    ],
  );
  const keys = received.map((r) => r.headers['idempotency-key']);
  assert.match(String(keys[0]), /^[0-9a-f]{32}$/);
  assert.notEqual(keys[0], keys[1]);
  const tooLarge = await fetch(`${url}/retrain`, { method: 'POST', body: 'x'.repeat((1 << 20) + 10) });
  assert.equal(tooLarge.status, 413);
});

test("retraining has one default path: Alertmanager routes drift to it, Grafana's policy only if opted in", () => {
  const am = join(PROVISIONING_DIR, 'alertmanager/alertmanager.yml');
  const routes = run('amtool', [
    'config',
    'routes',
    'test',
    `--config.file=${am}`,
    'alertname=MlmonFeatureDriftWarning',
    'severity=warning',
    'model=m',
  ]).output;
  assert.match(routes, /retrain-webhook/);
  const file = readFileSync(join(PROVISIONING_DIR, 'grafana/alerting/policies.yml'), 'utf8');
  const receivers = (text: string) => (parse(text).policies[0].routes as { receiver: string }[]).map((r) => r.receiver);
  assert.ok(!receivers(file).includes('mlmon-retrain-webhook'), 'Grafana requests no retraining by default');
  // The documented opt-in: uncomment the marked route.
  const optedIn = file.replace(
    /^(\s*)# (- receiver: mlmon-retrain-webhook| {2}object_matchers:| {4}- \['alertname'| {2}continue: true)/gm,
    '$1$2',
  );
  assert.deepEqual(receivers(optedIn)[0], 'mlmon-retrain-webhook');
  const route = parse(optedIn).policies[0].routes[0];
  assert.equal(route.continue, true);
  assert.match('mlmon feature drift', new RegExp(`^(?:${route.object_matchers[0][2]})$`));
  // The contact point it names exists.
  const contacts = parse(readFileSync(join(PROVISIONING_DIR, 'grafana/alerting/contact-points.yml'), 'utf8'));
  assert.ok(contacts.contactPoints.some((c: { name: string }) => c.name === 'mlmon-retrain-webhook'));
});
