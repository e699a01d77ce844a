// Integration: the exporter's demo (plus a small classifier fed by the test), the demo model
// service, a real Prometheus loading rules/ and a real Alertmanager loading
// provisioning/alertmanager/alertmanager.yml. Every PromQL expression of the dashboards, the
// template variables and the Grafana-managed alerts runs against it and must return series; so
// must every selector of the Prometheus rules; and a real alert travels to a loopback webhook.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  PROVISIONING_DIR,
  RULES_DIR,
  postAlerts,
  startAlertmanager,
  startDemoModel,
  startExporterWithConfig,
  startPrometheus,
  startWebhook,
  tempDir,
  waitFor,
  waitForChanges,
  type RunningAlertmanager,
  type RunningPrometheus,
  type ExporterProcess,
  type RunningService,
  type Webhook,
} from '../../testkit/index.ts';
import {
  annotationExpressions,
  dashboardExpressions,
  grafanaAlertExpressions,
  isPending,
  ruleExpressions,
  selectors,
  substitute,
  type Expression,
} from './promql.ts';

let exporter: ExporterProcess;
let demoModel: RunningService;
let prometheus: RunningPrometheus;
let alertmanager: RunningAlertmanager;
let webhook: Webhook;
let probeTarget: Server | undefined;
const MODELS = 'demo-credit|churn|eta';

async function post(path: string, records: object[], expectStatus = 200): Promise<void> {
  const response = await fetch(`${exporter.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: records.map((r) => JSON.stringify(r)).join('\n'),
  });
  await response.arrayBuffer();
  assert.equal(response.status, expectStatus, path);
}

before(async () => {
  const dir = tempDir('live');
  const rows = ['tenure,plan,prediction'];
  for (let i = 0; i < 600; i++)
    rows.push(`${i % 60},${['basic', 'pro', 'team'][i % 3]},${i % 4 === 0 ? 'churn' : 'stay'}`);
  writeFileSync(join(dir, 'churn.csv'), rows.join('\n') + '\n');
  // A tiny model endpoint for the exporter's probe source (the demo model starts after the exporter).
  const probed = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"prediction":"stay"}'));
  });
  await new Promise<void>((resolve) => probed.listen(0, '127.0.0.1', resolve));
  probeTarget = probed;
  const probeUrl = `http://127.0.0.1:${(probed.address() as { port: number }).port}/predict`;
  writeFileSync(
    join(dir, 'eta.csv'),
    'distance,prediction\n' + Array.from({ length: 200 }, (_, i) => `${i % 40},${(i % 40) * 1.5}`).join('\n') + '\n',
  );
  exporter =
    await startExporterWithConfig(`demo: { enabled: true, drift_after: 1s, records_per_second: 2000, label_delay: 1s }
sources:
  - type: probe
    name: churn-probe
    model: churn
    interval: 1s
    url: ${probeUrl}
    timeout: 1s
    payloads: [{ features: { tenure: 3, plan: pro } }]
    response: { prediction_field: prediction, prediction_type: string }
models:
  - name: eta
    reference: { path: ${JSON.stringify(join(dir, 'eta.csv'))} }
    prediction: { name: prediction }
    windows: [5m, 1h]
    min_samples: 10
  - name: churn
    reference: { path: ${JSON.stringify(join(dir, 'churn.csv'))} }
    features: [{ name: tenure }, { name: plan, type: categorical }]
    prediction: { name: prediction, type: categorical }
    segments: [plan]
    segment_values: 2
    windows: [5m, 1h]
    min_samples: 100
`);
  demoModel = await startDemoModel(exporter.url, { MODEL_NAME: 'demo-credit', ERROR_RATE: '0.05', FLUSH_MS: '200' });
  webhook = await startWebhook();
  const amConfig = readFileSync(join(PROVISIONING_DIR, 'alertmanager/alertmanager.yml'), 'utf8');
  alertmanager = await startAlertmanager(amConfig.replaceAll('http://alert-receiver:9096', webhook.url));
  // The real rules, plus the drift warning with for: 0s so that delivery is seen within seconds.
  const fast = parse(readFileSync(join(RULES_DIR, 'alerts.yml'), 'utf8')).groups[0].rules.find(
    (r: { alert?: string }) => r.alert === 'MlmonFeatureDriftWarning',
  );
  writeFileSync(join(dir, 'fast.yml'), stringify({ groups: [{ name: 'fast', rules: [{ ...fast, for: '0s' }] }] }));
  prometheus = await startPrometheus({
    jobs: [
      { name: 'mlmon-exporter', targets: [`127.0.0.1:${exporter.port}`] },
      { name: 'demo-model', targets: [`127.0.0.1:${demoModel.port}`], labels: { model: 'demo-credit' } },
    ],
    ruleFiles: [join(RULES_DIR, 'recording.yml'), join(RULES_DIR, 'alerts.yml'), join(dir, 'fast.yml')],
    alertmanagers: [`127.0.0.1:${alertmanager.port}`],
  });
  await waitFor('both targets scraped', async () =>
    (await prometheus.query('up == 1')).length === 2 ? true : undefined,
  );
  // Traffic the demo does not make: a classifier with class predictions, wrong types, rejections,
  // and prediction requests to the demo model service.
  const churn = Array.from({ length: 300 }, (_, i) => ({
    model: 'churn',
    features: { tenure: i % 50, plan: ['basic', 'pro', 'enterprise'][i % 3] },
    prediction: i % 3 === 0 ? 'churn' : 'stay',
  }));
  await post('/api/v1/records', [
    ...churn,
    { model: 'churn', features: { tenure: 'long', plan: 'pro' }, prediction: 'stay' },
  ]);
  await post('/api/v1/records', [{ model: 'nope', features: {} }], 404);
  // Labels: the churn predictions joined by id, and a regression model with labels inline.
  await post(
    '/api/v1/records',
    churn.map((r, i) => ({ ...r, id: `churn-${i}` })),
  );
  await post(
    '/api/v1/labels',
    churn.map((r, i) => ({ model: 'churn', id: `churn-${i}`, label: i % 2 === 0 ? 'churn' : 'stay' })),
  );
  await post(
    '/api/v1/records',
    Array.from({ length: 50 }, (_, i) => ({
      model: 'eta',
      features: { distance: i % 40 },
      prediction: i * 1.4,
      label: i * 1.5 + 1,
    })),
  );
  for (let i = 0; i < 20; i++) {
    const response = await fetch(`${demoModel.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        Array.from({ length: 10 }, (_, j) => ({
          id: `r${i}-${j}`,
          features: { age: 30 + j, credit_score: 600 + i, utilization: 0.3 },
        })),
      ),
    });
    await response.arrayBuffer();
  }
  // Enough scrapes for rate() and the fleet rules.
  await waitFor(
    'fleet PSI recorded',
    async () => ((await prometheus.query('mlmon:feature_psi:fleet_1h')).length > 0 ? true : undefined),
    60_000,
  );
  // Three more scrapes of the exporter after that, so rate() windows hold the traffic above.
  await waitForChanges(
    'three more scrapes',
    async () => (await prometheus.query('count_over_time(up{job="mlmon-exporter"}[10m])'))[0]?.value[1],
    3,
  );
});

after(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  await webhook?.stop();
  await demoModel?.stop();
  probeTarget?.close();
  await exporter?.stop();
});

async function empty(expressions: Expression[]): Promise<string[]> {
  const failures: string[] = [];
  for (const { where, expr } of expressions) {
    // The dashboards' instance variable set to this exporter, as a user picks it.
    const target = { job: 'mlmon-exporter', instance: `127.0.0.1:${exporter.port}` };
    const query = substitute(expr, MODELS, '5m', 'credit_score', target).replaceAll(
      `model="${MODELS}"`,
      `model=~"${MODELS}"`,
    );
    try {
      if ((await prometheus.query(query)).length === 0) failures.push(`${where}: ${query}`);
    } catch (err) {
      failures.push(`${where}: ${(err as Error).message}`);
    }
  }
  return failures;
}

const dashboards = dashboardExpressions();
const dashboardsReady = dashboards.filter((e) => !isPending(e.expr));
const dashboardsPending = dashboards.filter((e) => isPending(e.expr));

test(`every dashboard query and template variable returns series (${dashboardsReady.length} of ${dashboards.length} expressions)`, async () => {
  console.log(
    `dashboards: ${dashboards.length} PromQL expressions, ${dashboardsReady.length} on metrics exported today, ${dashboardsPending.length} on performance, label, probe and source metrics`,
  );
  assert.ok(dashboardsReady.length > 50);
  assert.deepEqual(await empty(dashboardsReady), []);
});

test(`dashboard queries on performance, label, probe and source metrics return series (${dashboardsPending.length} expressions)`, async () => {
  assert.deepEqual(await empty(dashboardsPending), []);
});

const grafanaAlerts = grafanaAlertExpressions();
test(`every Grafana-managed alert query returns series (${grafanaAlerts.length})`, async () => {
  assert.deepEqual(await empty(grafanaAlerts), []);
});

const ruleSelectors = ruleExpressions().flatMap((e) => selectors(e.expr).map((s) => ({ where: e.where, expr: s })));
const ruleSelectorsReady = ruleSelectors.filter((e) => !isPending(e.expr));
const ruleSelectorsPending = ruleSelectors.filter((e) => isPending(e.expr));

test(`every selector of the Prometheus rules returns series (${ruleSelectorsReady.length})`, async () => {
  console.log(`rules: ${ruleSelectors.length} selectors, ${ruleSelectorsReady.length} on metrics exported today`);
  assert.deepEqual(await empty(ruleSelectorsReady), []);
});

test(`selectors of the Prometheus rules on performance, label, probe and source metrics return series (${ruleSelectorsPending.length})`, async () => {
  assert.deepEqual(await empty(ruleSelectorsPending), []);
});

test('a drift alert travels Prometheus → Alertmanager → webhook with the documented payload', async () => {
  const delivered = await waitFor(
    'a retrain webhook call',
    async () =>
      webhook.received.find(
        (r) =>
          r.path === '/retrain' &&
          (r.body as { groupLabels?: { model?: string } }).groupLabels?.model === 'demo-credit',
      ),
    60_000,
  );
  const body = delivered.body as {
    version: string;
    status: string;
    receiver: string;
    groupLabels: Record<string, string>;
    alerts: {
      status: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
      generatorURL: string;
    }[];
  };
  assert.equal(body.version, '4');
  assert.equal(body.receiver, 'retrain-webhook');
  assert.equal(body.status, 'firing');
  assert.deepEqual(body.groupLabels, { model: 'demo-credit' });
  const alert = body.alerts.find((a) => a.labels.feature === 'credit_score');
  assert.ok(alert, JSON.stringify(body.alerts.map((a) => a.labels)));
  assert.equal(alert.labels.alertname, 'MlmonFeatureDriftWarning');
  assert.equal(alert.labels.severity, 'warning');
  assert.equal(alert.labels.job, 'mlmon-exporter');
  assert.equal(alert.annotations.summary, 'A feature of a model has drifted from its reference.');
  assert.match(
    alert.annotations.description,
    /^Feature credit_score of model demo-credit is past its drift threshold in the (5m|1h) window/,
  );
  // The cause, read by the rule's template from mlmon_feature_drift_bin_contribution.
  assert.match(alert.annotations.description, /Bins that moved most: [^(]+ \(\d+\.\d{3}\)/);
  assert.equal(
    alert.annotations.runbook_url,
    'https://github.com/mlmon/mlmon/blob/main/rules/RUNBOOK.md#mlmonfeaturedriftwarning',
  );
  assert.match(alert.generatorURL, new RegExp(`^${prometheus.url.replace(/\./g, '\\.')}|http://`));
  // continue: true, so the severity route got it too.
  await waitFor('the warning route', async () => webhook.received.find((r) => r.path === '/notify/warning'), 30_000);
});

const annotations = annotationExpressions();
test(`every dashboard annotation query runs, and its selectors return series (${annotations.length})`, async () => {
  // The alert above is firing by now, so ALERTS has series; the annotations mark events (a
  // reload, a new reference), so their whole expression may rightly be empty: it must only run.
  await waitFor('ALERTS firing', async () =>
    (await prometheus.query('ALERTS{alertstate="firing"}')).length ? true : undefined,
  );
  for (const { where, expr } of annotations) {
    await prometheus.query(substitute(expr, 'demo-credit', '5m', 'credit_score', { job: 'mlmon-exporter' }));
    assert.deepEqual(await empty(selectors(expr).map((s) => ({ where, expr: s }))), [], where);
  }
});

test('Alertmanager inhibits drift alerts of a model that is down', async () => {
  const alerts = [
    { labels: { alertname: 'MlmonModelDown', severity: 'critical', model: 'inhibit-me', job: 'm', instance: 'x' } },
    {
      labels: {
        alertname: 'MlmonFeatureDriftWarning',
        severity: 'warning',
        model: 'inhibit-me',
        feature: 'f',
        window: '1h',
      },
    },
    {
      labels: {
        alertname: 'MlmonFeatureDriftWarning',
        severity: 'warning',
        model: 'other-model',
        feature: 'f',
        window: '1h',
      },
    },
  ];
  await postAlerts(alertmanager, alerts);
  const states = await waitFor('inhibition', async () => {
    const list = (await (
      await fetch(`${alertmanager.url}/api/v2/alerts?filter=alertname%3D%22MlmonFeatureDriftWarning%22`)
    ).json()) as {
      labels: Record<string, string>;
      status: { state: string; inhibitedBy: string[] };
    }[];
    const mine = list.filter((a) => a.labels.feature === 'f');
    return mine.length === 2 && mine.some((a) => a.status.state === 'suppressed') ? mine : undefined;
  });
  const byModel = Object.fromEntries(states.map((a) => [a.labels.model, a.status]));
  assert.equal(byModel['inhibit-me'].state, 'suppressed');
  assert.equal(byModel['inhibit-me'].inhibitedBy.length, 1);
  assert.equal(byModel['other-model'].state, 'active');
});
