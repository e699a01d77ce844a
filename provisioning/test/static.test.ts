// The provisioning files on their own: amtool and promtool accept the configs, the dashboards
// have fixed uids and the one datasource, and the committed JSON is what the build script writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROVISIONING_DIR, RULES_DIR, run, tempDir } from '../../testkit/index.ts';
import { DASHBOARD_DIR } from './promql.ts';
import { CONFIGMAPS, DASHBOARDS, render, renderConfigMaps } from '../dashboards/build.ts';
import { ERROR_BUDGET, EXPORTER_JOB_REGEX, THRESHOLDS, VAR } from '../dashboards/config.ts';

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

test('the provisioned datasource has the fixed uid the Grafana-managed alert rules use', () => {
  const ds = parse(readFileSync(join(PROVISIONING_DIR, 'grafana/datasources/prometheus.yml'), 'utf8'));
  assert.equal(ds.datasources[0].uid, 'mlmon-prometheus');
  const rules = parse(readFileSync(join(PROVISIONING_DIR, 'grafana/alerting/rules.yml'), 'utf8'));
  for (const r of rules.groups.flatMap((g: { rules: unknown[] }) => g.rules)) {
    assert.ok(r.uid && r.title && r.labels.severity && r.annotations.runbook_url, r.title);
    for (const d of r.data) assert.ok(['mlmon-prometheus', '__expr__'].includes(d.datasourceUid), r.title);
  }
});

interface Panel {
  type: string;
  title: string;
  description?: string;
  datasource?: { uid?: string };
  fieldConfig?: {
    defaults: { unit?: string; links?: { url: string }[] };
    overrides: { matcher: { options: string }; properties: { id: string; value: { url: string }[] }[] }[];
  };
  targets?: { expr: string; legendFormat?: string; datasource: { uid: string } }[];
}
interface Dashboard {
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown; datasource?: { uid: string } }[] };
  annotations: { list: { name: string; expr?: string; datasource: { uid: string } }[] };
}
const committed = (file: string): Dashboard => JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8'));
const FILES = ['exporter-health.json', 'feature-drift.json', 'model-overview.json', 'model-performance.json'];
const panelsOf = (d: Dashboard) => d.panels.filter((p) => p.type !== 'row');

test('four dashboards with fixed uids, a current schema, the variable chain, the drift panel', () => {
  assert.deepEqual(
    readdirSync(DASHBOARD_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort(),
    FILES,
  );
  const uids = new Set<string>();
  for (const file of FILES) {
    const d = committed(file);
    assert.match(d.uid, /^mlmon-[a-z-]+$/);
    uids.add(d.uid);
    // Grafana 12.4 migrates anything older on load; 42 is what it saves.
    assert.ok(d.schemaVersion >= 42, `${file} schemaVersion ${d.schemaVersion}`);
    const vars = d.templating.list.map((v) => v.name);
    const chain = [VAR.datasource, VAR.job, VAR.namespace, VAR.instance];
    assert.deepEqual(vars.slice(0, 4), chain, file);
    if (file !== 'exporter-health.json') assert.deepEqual(vars.slice(4, 6), [VAR.model, VAR.window], file);
  }
  assert.equal(uids.size, 4);
  assert.ok(panelsOf(committed('feature-drift.json')).some((p) => p.type === 'mlmon-drift-panel'));
});

test('no datasource uid is hard-coded: panels, queries, variables and annotations use ${datasource}', () => {
  for (const file of FILES) {
    const d = committed(file);
    assert.equal(d.templating.list[0].type, 'datasource');
    assert.equal(d.templating.list[0].query, 'prometheus');
    const refs = [
      ...panelsOf(d).flatMap((p) => [p.datasource?.uid, ...(p.targets ?? []).map((t) => t.datasource.uid)]),
      ...d.templating.list.slice(1).map((v) => v.datasource?.uid),
      ...d.annotations.list.filter((a) => a.expr).map((a) => a.datasource.uid),
    ];
    assert.deepEqual([...new Set(refs)], ['${datasource}'], file);
    assert.doesNotMatch(readFileSync(join(DASHBOARD_DIR, file), 'utf8'), /mlmon-prometheus/, file);
  }
});

test('every panel has a description and a unit', () => {
  for (const file of FILES) {
    for (const p of panelsOf(committed(file))) {
      assert.ok((p.description ?? '').length > 20, `${file} / ${p.title}: description`);
      assert.ok(p.fieldConfig?.defaults.unit, `${file} / ${p.title}: unit`);
    }
  }
});

test('panels drawing one line per feature link to the feature-drift dashboard with var-feature', () => {
  const featureLinks = (p: Panel) => [
    ...(p.fieldConfig?.defaults.links ?? []).map((l) => l.url),
    ...(p.fieldConfig?.overrides ?? [])
      .filter((o) => o.matcher.options === 'feature')
      .flatMap((o) => o.properties.filter((pr) => pr.id === 'links').flatMap((pr) => pr.value.map((l) => l.url))),
  ];
  let linked = 0;
  for (const file of ['model-overview.json', 'feature-drift.json']) {
    for (const p of panelsOf(committed(file))) {
      const perFeature =
        p.targets?.some((t) => t.legendFormat === '{{feature}}') ||
        (p.type === 'table' && p.targets?.some((t) => /mlmon_feature_/.test(t.expr)));
      if (!perFeature) continue;
      const urls = featureLinks(p);
      assert.equal(urls.length, 1, `${file} / ${p.title}`);
      assert.match(
        urls[0],
        /^\/d\/mlmon-feature-drift\/.*[?&]var-feature=\$\{__(field\.labels|data\.fields)\.feature\}/,
      );
      assert.match(urls[0], /\$\{datasource:queryparam\}.*\$\{instance:queryparam\}.*\$\{model:queryparam\}/);
      linked++;
    }
  }
  assert.ok(linked >= 8, `${linked} panels with a feature link`);
});

test('annotations: Grafana alerts, firing Prometheus alerts, config reloads, reference changes', () => {
  for (const file of FILES) {
    const names = committed(file).annotations.list.map((a) => a.name);
    assert.deepEqual(names, ['Annotations & Alerts', 'Prometheus alerts', 'Config reloads', 'Reference changes']);
  }
});

test('the Prometheus rules use the thresholds and exporter selector the dashboards are built from', () => {
  const rules = readFileSync(join(RULES_DIR, 'alerts.yml'), 'utf8');
  const expect = [
    `up{job=~"${EXPORTER_JOB_REGEX}"}`,
    `mlmon_model_drifted_features_ratio >= ${THRESHOLDS.driftedFeaturesRatio}`,
    `mlmon_prediction_psi > ${THRESHOLDS.psiDrift}`,
    `mlmon:feature_psi:fleet_1h > ${THRESHOLDS.psiDrift}`,
    `mlmon_feature_psi > ${THRESHOLDS.psiCritical}`,
    `mlmon_feature_missing_ratio > ${THRESHOLDS.missingRatio}`,
    `(14.4 * ${ERROR_BUDGET})`,
    `(6 * ${ERROR_BUDGET})`,
  ];
  for (const text of expect) assert.ok(rules.includes(text), `rules/alerts.yml lacks ${text}`);
});

test('the committed dashboards are what provisioning/dashboards/build.ts writes', async () => {
  for (const [name, json] of Object.entries(DASHBOARDS)) {
    assert.equal(
      readFileSync(join(DASHBOARD_DIR, `${name}.json`), 'utf8'),
      await render(json),
      `run npm run dashboards (${name})`,
    );
  }
  assert.equal(readFileSync(CONFIGMAPS, 'utf8'), await renderConfigMaps(), 'run npm run dashboards (ConfigMaps)');
});

test('the dashboard provider loads the mlmon folder from the path the compose file mounts', () => {
  const provider = parse(readFileSync(join(PROVISIONING_DIR, 'grafana/dashboards/dashboards.yml'), 'utf8'));
  assert.equal(provider.providers[0].folder, 'mlmon');
  assert.equal(provider.providers[0].options.path, '/etc/grafana/provisioning/dashboards/mlmon');
});
