// The provisioning files on their own: amtool and promtool accept the configs, the dashboards
// have fixed uids and the one datasource, and the committed JSON is what the build script writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROVISIONING_DIR, RULES_DIR, run, tempDir } from '../../testkit/index.ts';
import { DASHBOARD_DIR } from './promql.ts';
// @ts-expect-error: a plain JavaScript build script without type declarations
import { DASHBOARDS, render } from '../scripts/build-dashboards.mjs';

const AM = join(PROVISIONING_DIR, 'alertmanager/alertmanager.yml');

test('amtool check-config passes on the Alertmanager config', () => {
  const { status, output } = run('amtool', ['check-config', AM]);
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS/);
});

test('Alertmanager routes drift alerts to the retrain webhook and on by severity', () => {
  const routes = (labels: string[]) =>
    run('amtool', ['config', 'routes', 'test', `--config.file=${AM}`, ...labels])
      .output.split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('Warning'))
      .at(-1);
  assert.equal(
    routes(['alertname=MlmonFeatureDriftWarning', 'severity=warning', 'model=m']),
    'retrain-webhook,tickets',
  );
  assert.equal(
    routes(['alertname=MlmonFeatureDriftCritical', 'severity=critical', 'model=m']),
    'retrain-webhook,pager',
  );
  assert.equal(routes(['alertname=MlmonExporterDown', 'severity=critical']), 'pager');
  assert.equal(routes(['alertname=MlmonRecordsRejected', 'severity=info']), 'chat');
});

test('promtool check config passes on the stack Prometheus config with the rule files beside it', () => {
  const dir = tempDir('promcfg');
  cpSync(join(PROVISIONING_DIR, 'prometheus/prometheus.yml'), join(dir, 'prometheus.yml'));
  mkdirSync(join(dir, 'rules'));
  for (const f of ['alerts.yml', 'recording.yml']) cpSync(join(RULES_DIR, f), join(dir, 'rules', f));
  const { status, output } = run('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS: 2 rule files found/);
});

test('the datasource has the fixed uid every dashboard and alert rule uses', () => {
  const ds = parse(readFileSync(join(PROVISIONING_DIR, 'grafana/datasources/prometheus.yml'), 'utf8'));
  assert.equal(ds.datasources[0].uid, 'mlmon-prometheus');
  const rules = parse(readFileSync(join(PROVISIONING_DIR, 'grafana/alerting/rules.yml'), 'utf8'));
  for (const r of rules.groups.flatMap((g: { rules: unknown[] }) => g.rules)) {
    assert.ok(r.uid && r.title && r.labels.severity && r.annotations.runbook_url, r.title);
    for (const d of r.data) assert.ok(['mlmon-prometheus', '__expr__'].includes(d.datasourceUid), r.title);
  }
});

test('four dashboards with fixed uids, model and window variables, one datasource, the drift panel', () => {
  const files = readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  assert.deepEqual(files, [
    'exporter-health.json',
    'feature-drift.json',
    'model-overview.json',
    'model-performance.json',
  ]);
  const uids = new Set<string>();
  for (const file of files) {
    const d = JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8'));
    assert.match(d.uid, /^mlmon-[a-z-]+$/);
    uids.add(d.uid);
    const vars = d.templating.list.map((v: { name: string }) => v.name);
    if (file !== 'exporter-health.json') assert.ok(vars.includes('model') && vars.includes('window'), file);
    for (const p of d.panels.filter((p: { type: string }) => p.type !== 'row')) {
      assert.equal(p.datasource.uid, 'mlmon-prometheus', `${file} ${p.title}`);
    }
  }
  assert.equal(uids.size, 4);
  const drift = JSON.parse(readFileSync(join(DASHBOARD_DIR, 'feature-drift.json'), 'utf8'));
  assert.ok(drift.panels.some((p: { type: string }) => p.type === 'mlmon-drift-panel'));
});

test('the committed dashboards are what scripts/build-dashboards.mjs writes', async () => {
  for (const [name, json] of Object.entries(DASHBOARDS as Record<string, object>)) {
    assert.equal(
      readFileSync(join(DASHBOARD_DIR, `${name}.json`), 'utf8'),
      await render(json),
      `run node provisioning/scripts/build-dashboards.mjs (${name})`,
    );
  }
});

test('the dashboard provider loads the mlmon folder from the path the compose file mounts', () => {
  const provider = parse(readFileSync(join(PROVISIONING_DIR, 'grafana/dashboards/dashboards.yml'), 'utf8'));
  assert.equal(provider.providers[0].folder, 'mlmon');
  assert.equal(provider.providers[0].options.path, '/etc/grafana/provisioning/dashboards/mlmon');
});
