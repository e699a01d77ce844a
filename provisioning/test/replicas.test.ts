// Integration: the dashboards in an installation that is not the stack's. Two exporter replicas
// watching the same model (two sidecars of one Deployment) scraped by a live Prometheus under one
// job, as a PodMonitor does. Grafana's server cannot run here, so Grafana's part is done the way
// Grafana does it: template variables resolved from their own queries, `{{label}}` legends
// rendered from the series' labels. What is checked is what a user would see: both replicas in
// the instance list, and no panel drawing two lines with one legend.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  RULES_DIR,
  startExporterWithConfig,
  startPrometheus,
  waitFor,
  type RunningPrometheus,
  type ExporterProcess,
  type Sample,
} from '../../testkit/index.ts';
import { dashboardLegends, substitute, type Target } from './promql.ts';

const JOB = 'kube-system/mlmon-exporter';
let replicas: ExporterProcess[] = [];
let prometheus: RunningPrometheus;
let instances: string[] = [];

before(async () => {
  const config = `demo: { enabled: true, drift_after: 1s, records_per_second: 300, label_delay: 1s }\n`;
  replicas = await Promise.all([startExporterWithConfig(config), startExporterWithConfig(config)]);
  prometheus = await startPrometheus({
    jobs: [{ name: JOB, targets: replicas.map((r) => `127.0.0.1:${r.port}`) }],
    ruleFiles: [join(RULES_DIR, 'recording.yml')],
  });
  await waitFor('both replicas with drift statistics and rates', async () => {
    const psi = await prometheus.query('count by (instance) (rate(mlmon_records_total[1m]) > 0)');
    return psi.length === 2 ? true : undefined;
  });
  // Outside Kubernetes the namespace variable has no values and Grafana substitutes "".
  instances = await labelValues(`mlmon_build_info{job=~"${JOB}", namespace=~""}`, 'instance');
});

after(async () => {
  await prometheus?.stop();
  await Promise.all(replicas.map((r) => r.stop()));
});

/** The values of a `label_values(metric, label)` variable, as Grafana resolves them. */
async function labelValues(metric: string, label: string): Promise<string[]> {
  const series = await prometheus.query(metric);
  return [...new Set(series.map((s) => s.metric[label]).filter((v) => v !== undefined))].sort();
}

/** Grafana's legend: `{{label}}` replaced by the series' label value. */
function renderLegend(format: string, labels: Record<string, string>): string {
  return format.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

test('renderLegend fills labels the way Grafana does', () => {
  assert.equal(renderLegend('{{feature}} {{ instance }}', { feature: 'age', instance: 'a:1' }), 'age a:1');
  assert.equal(renderLegend('p95', {}), 'p95');
});

test('the variable chain lists the job and both replicas; an empty namespace matches targets without one', async () => {
  assert.deepEqual(await labelValues('up{job=~".*mlmon-exporter.*"}', 'job'), [JOB]);
  assert.deepEqual(instances, replicas.map((r) => `127.0.0.1:${r.port}`).sort());
  assert.deepEqual(await labelValues(`mlmon_model_info{job=~"${JOB}", instance=~"${instances[0]}"}`, 'model'), [
    'demo-credit',
  ]);
});

test('each replica answers /metrics with the Content-Type Prometheus 3 requires', async () => {
  for (const r of replicas) {
    const response = await fetch(`${r.url}/metrics`);
    await response.arrayBuffer();
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  }
});

const panels = dashboardLegends();

test(`no panel draws two lines with one legend, with either replica selected (${panels.length} panels)`, async () => {
  assert.equal(instances.length, 2);
  const collisions: string[] = [];
  let lines = 0;
  // The model dashboards show one instance at a time; the exporter dashboard all of them.
  const selections = (where: string): Target[] =>
    where.startsWith('exporter-health')
      ? [{ job: JOB, instance: instances.join('|') }]
      : instances.map((instance) => ({ job: JOB, instance }));
  for (const { where, targets } of panels) {
    for (const target of selections(where)) {
      const legends: string[] = [];
      for (const { expr, legend } of targets) {
        const series: Sample[] = await prometheus.query(substitute(expr, 'demo-credit', '5m', 'age', target));
        legends.push(...series.map((s) => renderLegend(legend, s.metric)));
      }
      lines += legends.length;
      const seen = new Set<string>();
      for (const l of legends) {
        if (seen.has(l)) collisions.push(`${where} (${target.instance}): "${l}" twice`);
        seen.add(l);
      }
    }
  }
  console.log(`${panels.length} panels, ${lines} lines drawn across both replicas`);
  assert.ok(lines > 100, `${lines} lines: the demo's metrics did not reach the panels`);
  assert.deepEqual(collisions, []);
});
