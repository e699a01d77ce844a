// Pulls PromQL out of the provisioning files and the rule files, and the metric selectors out
// of PromQL, for the live tests.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROVISIONING_DIR, RULES_DIR } from '../../testkit/index.ts';
import { WHOLE_MODEL } from '../dashboards/config.ts';

export interface Expression {
  where: string;
  expr: string;
}

/** Metric families another engineer is adding (issue 3); their live checks are separate. */
export const PENDING_METRICS = [
  'mlmon_performance_',
  'mlmon_labels_',
  'mlmon_label_delay_seconds',
  'mlmon_source_errors_total',
  'mlmon_source_read_duration_seconds',
  'mlmon_probe_',
  'mlmon_config_last_reload_successful',
  'mlmon:performance_',
];
export const isPending = (expr: string) => PENDING_METRICS.some((m) => expr.includes(m));

export const DASHBOARD_DIR = join(PROVISIONING_DIR, 'grafana/dashboards/mlmon');

interface Panel {
  title: string;
  type: string;
  targets?: { expr?: string; legendFormat?: string; format?: string }[];
  panels?: Panel[];
}

interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string } }[] };
  annotations: { list: { name: string; expr?: string }[] };
}

function dashboards(): [string, Dashboard][] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((file) => [file, JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8'))]);
}

/** Every expression of every dashboard: panel targets and template-variable queries. */
export function dashboardExpressions(): Expression[] {
  const out: Expression[] = [];
  for (const [file, dashboard] of dashboards()) {
    const walk = (panels: Panel[]) => {
      for (const p of panels) {
        for (const t of p.targets ?? []) if (t.expr) out.push({ where: `${file} / ${p.title}`, expr: t.expr });
        walk(p.panels ?? []);
      }
    };
    walk(dashboard.panels);
    for (const v of dashboard.templating.list.filter((v) => v.type === 'query')) {
      const query = typeof v.query === 'string' ? v.query : v.query.query;
      const labelValues = /^label_values\((.*),\s*\w+\)$/.exec(query);
      out.push({ where: `${file} / variable ${v.name}`, expr: labelValues ? labelValues[1] : query });
    }
  }
  return out;
}

/** The PromQL of the dashboards' annotations (events: they return series only when one happened). */
export function annotationExpressions(): Expression[] {
  return dashboards().flatMap(([file, d]) =>
    d.annotations.list.filter((a) => a.expr).map((a) => ({ where: `${file} / annotation ${a.name}`, expr: a.expr! })),
  );
}

/** Panel queries drawn as series with their legends (table queries name no lines), for the legend checks. */
export function dashboardLegends(): { where: string; targets: { expr: string; legend: string }[] }[] {
  const out: { where: string; targets: { expr: string; legend: string }[] }[] = [];
  for (const [file, dashboard] of dashboards()) {
    for (const p of dashboard.panels) {
      const targets = (p.targets ?? [])
        .filter((t) => t.expr && t.legendFormat && t.format !== 'table')
        .map((t) => ({ expr: t.expr!, legend: t.legendFormat! }));
      if (targets.length) out.push({ where: `${file} / ${p.title}`, targets });
    }
  }
  return out;
}

/** The queries (refId A) of the Grafana-managed alert rules. */
export function grafanaAlertExpressions(): Expression[] {
  const file = parse(readFileSync(join(PROVISIONING_DIR, 'grafana/alerting/rules.yml'), 'utf8'));
  return file.groups.flatMap(
    (g: { rules: { title: string; data: { datasourceUid: string; model: { expr?: string } }[] }[] }) =>
      g.rules.flatMap((r) =>
        r.data.filter((d) => d.model.expr).map((d) => ({ where: `grafana alert ${r.title}`, expr: d.model.expr! })),
      ),
  );
}

/** The expressions of rules/alerts.yml and rules/recording.yml. */
export function ruleExpressions(): Expression[] {
  return ['alerts.yml', 'recording.yml'].flatMap((f) =>
    parse(readFileSync(join(RULES_DIR, f), 'utf8')).groups.flatMap(
      (g: { rules: { alert?: string; record?: string; expr: string }[] }) =>
        g.rules.map((r) => ({ where: `${f} ${r.alert ?? r.record}`, expr: r.expr })),
    ),
  );
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/** The vector selectors of an expression (metric name with its matchers), e.g. `up{job="x"}`. */
export function selectors(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, (s) => s.replace(/[a-zA-Z_:]/g, 'x').replace(/^x|x$/g, '"')) // keep matcher strings opaque
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, (s) => ' '.repeat(s.length))
    .replace(/\[[^\]]*\]/g, (s) => ' '.repeat(s.length));
  const out = new Set<string>();
  const re = /([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\{[^}]*\})?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(stripped))) {
    const [whole, name] = m;
    const after = stripped.slice(m.index + whole.length).trimStart();
    const before = stripped.slice(0, m.index);
    if (KEYWORDS.has(name.toLowerCase()) || after.startsWith('(') || /[0-9.]$/.test(before) || /^\d/.test(name))
      continue;
    // Recover the original matcher text at the same position.
    out.add(expr.slice(m.index, m.index + whole.length).replace(/\s+/g, ''));
  }
  return [...out];
}

/** The exporter-target variables; by default every exporter. */
export interface Target {
  job?: string;
  namespace?: string;
  instance?: string;
}

/** Grafana's variables set to the demo's values. */
export function substitute(
  expr: string,
  model: string,
  window = '5m',
  feature = 'credit_score',
  target: Target = {},
): string {
  return (
    expr
      .replaceAll('$job', target.job ?? '.+')
      .replaceAll('$namespace', target.namespace ?? '.*')
      .replaceAll('$instance', target.instance ?? '.+')
      .replaceAll('$model', model)
      .replaceAll('$window', window)
      .replaceAll('$feature', feature)
      // The segment variables at All: the whole model (segment_value first: $segment is its prefix).
      .replaceAll('$segment_value', WHOLE_MODEL)
      .replaceAll('$segment', WHOLE_MODEL)
      .replaceAll('$__rate_interval', '1m')
      .replaceAll('$__interval', '15s')
      .replaceAll('$__range', '1h')
  );
}
