// Building blocks every mlmon dashboard shares, on the Grafana Foundation SDK's typed builders:
// the datasource → job → namespace → instance → model → window chain of template variables,
// annotations, panel defaults (datasource variable, description, unit, queries) and the data link
// to the feature-drift dashboard.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as common from '@grafana/grafana-foundation-sdk/common';
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { EXPORTER_JOB_REGEX, MODEL, TARGET, THRESHOLDS, VAR, WHOLE_MODEL } from './config.ts';

/** Every query goes to the Prometheus the `datasource` variable names: no datasource uid is hard-coded. */
export const DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: `\${${VAR.datasource}}` };

export const FEATURE_DRIFT_UID = 'mlmon-feature-drift';

// ---------------------------------------------------------------- template variables

function labelValues(name: string, label: string, metric: string): dash.QueryVariableBuilder {
  const query = `label_values(${metric}, ${label})`;
  return new dash.QueryVariableBuilder(name)
    .datasource(DATASOURCE)
    .query({ query, refId: `${name}-variable` })
    .definition(query)
    .refresh(dash.VariableRefresh.OnTimeRangeChanged)
    .sort(dash.VariableSort.AlphabeticalAsc);
}

export const datasourceVariable = () =>
  new dash.DatasourceVariableBuilder(VAR.datasource)
    .label('Data source')
    .type('prometheus')
    .description('The Prometheus that scrapes the mlmon exporters.');

/** Jobs scraping exporters, found the way the rules find them (up, so a job that is down shows too). */
export const jobVariable = () =>
  labelValues(VAR.job, 'job', `up{job=~"${EXPORTER_JOB_REGEX}"}`)
    .label('Job')
    .description('The Prometheus job scraping the mlmon exporters.')
    .includeAll(true)
    .allValue('.+');

/**
 * Kubernetes namespace of the exporters (prometheus-operator's `namespace` target label). It only
 * narrows the instance list: outside Kubernetes it has no values, and `namespace=~""` matches
 * targets without the label.
 */
export const namespaceVariable = () =>
  labelValues(VAR.namespace, 'namespace', `mlmon_build_info{job=~"$${VAR.job}"}`)
    .label('Namespace')
    .description('Kubernetes namespace of the exporters; empty outside Kubernetes.')
    .includeAll(true)
    .allValue('.*');

/**
 * One exporter (a sidecar replica, say). Single-valued on the model dashboards so that two
 * replicas never draw two lines with the same legend; multi-valued on the exporter dashboard,
 * whose legends name the instance.
 */
export const instanceVariable = (multi: boolean) => {
  const v = labelValues(
    VAR.instance,
    'instance',
    `mlmon_build_info{job=~"$${VAR.job}", namespace=~"$${VAR.namespace}"}`,
  )
    .label('Instance')
    .description('The exporter target (host:port); the model dashboards show one replica at a time.');
  return multi ? v.multi(true).includeAll(true).allValue('.+') : v;
};

export const modelVariable = () =>
  labelValues(VAR.model, 'model', `mlmon_model_info{${TARGET}}`)
    .label('Model')
    .description('A model this exporter watches.');

export const windowVariable = () =>
  labelValues(VAR.window, 'window', `mlmon_model_window_records{${MODEL}}`)
    .label('Window')
    .description('The sliding window the statistics are computed over.');

export const featureVariable = () =>
  labelValues(VAR.feature, 'feature', `mlmon_feature_info{${MODEL}}`)
    .label('Feature')
    .description('The feature of the detail rows.');

/**
 * A segment column of the model, then one of its values; All (the default) on both is the whole
 * model. On the dashboards of the families the exporter writes per segment (drift, data quality).
 */
export const segmentVariables = () => [
  labelValues(VAR.segment, 'segment', `mlmon_model_window_records{${MODEL}}`)
    .label('Segment')
    .description('A segment column of the model (its `segments`); All: the whole model.')
    .includeAll(true)
    .allValue(WHOLE_MODEL),
  labelValues(VAR.segmentValue, 'segment_value', `mlmon_model_window_records{${MODEL}, segment=~"$${VAR.segment}"}`)
    .label('Segment value')
    .description('One value of that column (its most frequent reference values, then __other__); All: the whole model.')
    .includeAll(true)
    .allValue(WHOLE_MODEL),
];

/** The chain every model dashboard starts with. */
export const modelVariables = () => [
  datasourceVariable(),
  jobVariable(),
  namespaceVariable(),
  instanceVariable(false),
  modelVariable(),
  windowVariable(),
];

// ---------------------------------------------------------------- annotations

/** Grafana's own annotations and Grafana-managed alert state changes. */
const grafanaAnnotations = () =>
  new dash.AnnotationQueryBuilder()
    .name('Annotations & Alerts')
    .datasource({ type: 'grafana', uid: '-- Grafana --' })
    .builtIn(1)
    .enable(true)
    .hide(true)
    .iconColor('rgba(0, 211, 255, 1)')
    .type('dashboard');

const prometheusAnnotation = (name: string, expr: string, title: string, text: string, color: string) =>
  new dash.AnnotationQueryBuilder()
    .name(name)
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor(color)
    .expr(expr)
    .titleFormat(title)
    .textFormat(text)
    .step('60s');

/**
 * Firing mlmon alerts of Prometheus (the ALERTS series), the exporter's config reloads, and
 * reference profiles coming into force (a new reference_hash, or an exporter start).
 */
export function annotations(modelFilter: string) {
  const alerts = `ALERTS{alertname=~"Mlmon.*", alertstate="firing"${modelFilter ? `, ${modelFilter}` : ''}}`;
  return [
    grafanaAnnotations(),
    prometheusAnnotation('Prometheus alerts', alerts, '{{alertname}}', '{{model}} {{feature}} {{window}}', 'red'),
    prometheusAnnotation(
      'Config reloads',
      `changes(mlmon_config_last_reload_success_timestamp_seconds{${TARGET}}[2m]) > 0`,
      'config reloaded',
      '{{instance}}',
      'blue',
    ),
    prometheusAnnotation(
      'Reference changes',
      `mlmon_reference_info{${TARGET}${modelFilter ? `, ${modelFilter}` : ''}} unless mlmon_reference_info{${TARGET}${modelFilter ? `, ${modelFilter}` : ''}} offset 2m`,
      'reference {{reference_hash}}',
      '{{model}} on {{instance}}',
      'purple',
    ),
  ];
}

// ---------------------------------------------------------------- panels

/** Query options: a range query drawing series (the default), or an instant query for a table. */
export type QueryMode = 'range' | 'table';

export interface Query {
  expr: string;
  legend?: string;
  mode?: QueryMode;
}

/** What every panel builder of the SDK has in common, as far as these dashboards use it. */
interface PanelBuilderLike {
  title(title: string): this;
  description(description: string): this;
  unit(unit: string): this;
  datasource(datasource: common.DataSourceRef): this;
  gridPos(gridPos: dash.GridPos): this;
  withTarget(target: cog.Builder<cog.Dataquery>): this;
}

export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  /** Width and height on the 24-column grid. */
  size: [number, number];
  queries: (Query | string)[];
}

export function query(q: Query | string, index: number): prometheus.DataqueryBuilder {
  const { expr, legend = '', mode = 'range' } = typeof q === 'string' ? { expr: q } : q;
  const builder = new prometheus.DataqueryBuilder()
    .refId(String.fromCharCode(65 + index))
    .datasource(DATASOURCE)
    .expr(expr)
    .legendFormat(legend);
  return mode === 'table' ? builder.instant().format(prometheus.PromQueryFormat.Table) : builder.range();
}

/** Fills a panel builder with what every mlmon panel has. */
export function panel<B extends PanelBuilderLike>(builder: B, spec: PanelSpec): B {
  const [w, h] = spec.size;
  let b = builder
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(DATASOURCE)
    // x and y are 0: the dashboard builder places the panel after the previous one.
    .gridPos({ x: 0, y: 0, w, h });
  spec.queries.forEach((q, i) => (b = b.withTarget(query(q, i))));
  return b;
}

export const thresholds = (steps: [number | null, string][]) =>
  new dash.ThresholdsConfigBuilder()
    .mode(dash.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));

/** Green, yellow from the investigate PSI, red from the drift PSI. */
export const psiThresholds = () =>
  thresholds([
    [null, 'green'],
    [THRESHOLDS.psiInvestigate, 'yellow'],
    [THRESHOLDS.psiDrift, 'red'],
  ]);

/** A 0/1 gauge shown as two words. */
export const boolMapping = (zero: [string, string], one: [string, string]): dash.ValueMapping[] => [
  {
    type: dash.MappingType.ValueToText,
    options: { 0: { text: zero[0], color: zero[1] }, 1: { text: one[0], color: one[1] } },
  },
];

/**
 * A link to the feature-drift dashboard for one feature, keeping the time range and the
 * datasource → window chain. `featureRef` is a Grafana data-link variable, e.g.
 * `${__field.labels.feature}` on a series or `${__data.fields.feature}` in a table row.
 */
export function featureDriftLink(featureRef: string): dash.DashboardLinkBuilder {
  const vars = [VAR.datasource, VAR.job, VAR.namespace, VAR.instance, VAR.model, VAR.window]
    .map((v) => `\${${v}:queryparam}`)
    .join('&');
  return new dash.DashboardLinkBuilder(`Feature drift of ${featureRef}`).url(
    `/d/${FEATURE_DRIFT_UID}/mlmon-feature-drift?\${__url_time_range}&${vars}&var-${VAR.feature}=${featureRef}`,
  );
}

/** Tables drop the labels every row shares. */
export const organize = (exclude: string[]): dash.DataTransformerConfig => ({
  id: 'organize',
  options: { excludeByName: Object.fromEntries(exclude.map((name) => [name, true])) },
});

// ---------------------------------------------------------------- dashboards

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  variables: cog.Builder<dash.VariableModel>[];
  annotations: cog.Builder<dash.AnnotationQuery>[];
  /** Panels and rows in reading order. */
  content: (cog.Builder<dash.Panel> | dash.RowBuilder)[];
}

/** The dashboard JSON: fixed uid, shared tooltip, the mlmon links menu, panel ids in order. */
export function dashboard(spec: DashboardSpec): dash.Dashboard {
  const builder = new dash.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['mlmon'])
    .editable()
    .tooltip(dash.DashboardCursorSync.Crosshair)
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .variables(spec.variables)
    .annotations(spec.annotations)
    .link(
      new dash.DashboardLinkBuilder('mlmon')
        .type(dash.DashboardLinkType.Dashboards)
        .tags(['mlmon'])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    );
  for (const item of spec.content) {
    if (item instanceof dash.RowBuilder) builder.withRow(item);
    else builder.withPanel(item);
  }
  const json = builder.build();
  json.panels?.forEach((p, i) => (p.id = i + 1));
  return json;
}
