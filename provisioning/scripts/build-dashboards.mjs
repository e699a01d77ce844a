#!/usr/bin/env node
// Writes the provisioned dashboards (grafana/dashboards/mlmon/*.json) from the compact
// definitions below: fixed uids, the mlmon-prometheus datasource, template variables for model,
// window and feature. `node provisioning/scripts/build-dashboards.mjs`; a test checks the JSON
// files are what this script writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

export const DATASOURCE = { type: 'prometheus', uid: 'mlmon-prometheus' };
const OUT = new URL('../grafana/dashboards/mlmon/', import.meta.url);
const M = 'model="$model"';
const MW = 'model="$model", window="$window"';

const variable = (name, label, query, extra = {}) => ({
  name,
  label,
  type: 'query',
  datasource: DATASOURCE,
  query: { query, refId: `${name}-variable` },
  definition: query,
  refresh: 2,
  sort: 1,
  includeAll: false,
  multi: false,
  ...extra,
});
const MODEL_VAR = variable('model', 'Model', 'label_values(mlmon_model_info, model)');
const WINDOW_VAR = variable('window', 'Window', `label_values(mlmon_model_window_records{${M}}, window)`);
const FEATURE_VAR = variable('feature', 'Feature', `label_values(mlmon_feature_info{${M}}, feature)`);

/** A panel: type, title, size, and its queries ([expr, legend] pairs, or objects). */
function panel(type, title, w, h, queries, extra = {}) {
  return {
    type,
    title,
    datasource: DATASOURCE,
    gridPos: { w, h },
    targets: queries.map((q, i) => {
      const [expr, legendFormat = '', more = {}] = Array.isArray(q) ? q : [q];
      return { refId: String.fromCharCode(65 + i), datasource: DATASOURCE, expr, legendFormat, ...more };
    }),
    ...extra,
  };
}
const unit = (u, more = {}) => ({ fieldConfig: { defaults: { unit: u, ...more }, overrides: [] } });
const thresholds = (steps) => ({ mode: 'absolute', steps: steps.map(([value, color]) => ({ value, color })) });
const psiThresholds = thresholds([
  [null, 'green'],
  [0.1, 'yellow'],
  [0.2, 'red'],
]);
const row = (title) => ({ type: 'row', title, collapsed: false, gridPos: { w: 24, h: 1 }, panels: [] });
const instant = { instant: true, range: false, format: 'table' };
const RANGE = { instant: false, range: true, format: 'time_series' };
/** The per-feature statistics the mlmon-drift-panel reads from its query A (from the exporter's metrics catalog). */
export const DRIFT_PANEL_STATISTICS = JSON.parse(
  readFileSync(new URL('../../grafana-plugin/src/data/drift-panel-statistics.json', import.meta.url), 'utf8'),
);

function dashboard(uid, title, description, variables, panels) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  panels.forEach((p, i) => {
    if (x + p.gridPos.w > 24 || p.type === 'row') {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    p.id = i + 1;
    p.gridPos = { ...p.gridPos, x, y };
    x += p.gridPos.w;
    rowHeight = Math.max(rowHeight, p.gridPos.h);
  });
  return {
    uid,
    title,
    description,
    tags: ['mlmon'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    templating: { list: variables },
    annotations: { list: [] },
    links: [
      { type: 'dashboards', tags: ['mlmon'], asDropdown: true, title: 'mlmon', includeVars: true, keepTime: true },
    ],
    panels,
  };
}

export const DASHBOARDS = {
  'model-overview': dashboard(
    'mlmon-model-overview',
    'mlmon / Model overview',
    'Traffic, latency, errors, accuracy, drift summary and data freshness of one model.',
    [MODEL_VAR, WINDOW_VAR],
    [
      panel(
        'stat',
        'Records per second',
        4,
        4,
        [`sum(rate(mlmon_records_total{${M}}[$__rate_interval]))`],
        unit('reqps'),
      ),
      panel('stat', 'Data age', 4, 4, [`mlmon_model_data_age_seconds{${M}}`], {
        ...unit('s', {
          thresholds: thresholds([
            [null, 'green'],
            [300, 'yellow'],
            [900, 'red'],
          ]),
        }),
      }),
      panel('stat', 'Drifted features', 4, 4, [`mlmon_model_drifted_features_ratio{${MW}}`], {
        ...unit('percentunit', {
          thresholds: thresholds([
            [null, 'green'],
            [0.3, 'red'],
          ]),
        }),
      }),
      panel('stat', 'Dataset drift', 4, 4, [`mlmon_model_dataset_drift{${MW}}`], {
        fieldConfig: {
          defaults: {
            mappings: [
              { type: 'value', options: { 0: { text: 'no', color: 'green' }, 1: { text: 'DRIFT', color: 'red' } } },
            ],
          },
          overrides: [],
        },
      }),
      panel('stat', 'Accuracy', 4, 4, [`mlmon_performance_accuracy{${MW}}`], unit('percentunit')),
      panel(
        'stat',
        'Prediction PSI',
        4,
        4,
        [`mlmon_prediction_psi{${MW}}`],
        unit('none', { thresholds: psiThresholds }),
      ),
      row('Serving (the model server\u2019s own metrics)'),
      panel(
        'timeseries',
        'Prediction requests',
        8,
        8,
        [[`sum by (model) (rate(model_predictions_total{${M}}[$__rate_interval]))`, '{{model}}']],
        unit('reqps'),
      ),
      panel(
        'timeseries',
        'Latency p50 / p95 / p99',
        8,
        8,
        [
          [
            `histogram_quantile(0.5, sum by (le) (rate(model_prediction_latency_seconds_bucket{${M}}[$__rate_interval])))`,
            'p50',
          ],
          [
            `histogram_quantile(0.95, sum by (le) (rate(model_prediction_latency_seconds_bucket{${M}}[$__rate_interval])))`,
            'p95',
          ],
          [
            `histogram_quantile(0.99, sum by (le) (rate(model_prediction_latency_seconds_bucket{${M}}[$__rate_interval])))`,
            'p99',
          ],
        ],
        unit('s'),
      ),
      panel(
        'timeseries',
        'Error ratio',
        8,
        8,
        [
          [
            `sum(rate(model_prediction_errors_total{${M}}[$__rate_interval])) / sum(rate(model_predictions_total{${M}}[$__rate_interval]))`,
            'errors',
          ],
        ],
        unit('percentunit'),
      ),
      row('Model quality'),
      panel('timeseries', 'Accuracy', 8, 8, [[`mlmon_performance_accuracy{${MW}}`, 'accuracy']], unit('percentunit')),
      panel('timeseries', 'Drift per feature (PSI)', 8, 8, [[`mlmon_feature_psi{${MW}}`, '{{feature}}']], {
        ...unit('none', { thresholds: psiThresholds, custom: { thresholdsStyle: { mode: 'line' } } }),
      }),
      panel('timeseries', 'Mean prediction', 8, 8, [
        [`mlmon_prediction_mean{${MW}}`, 'mean'],
        [`avg_over_time(mlmon_prediction_mean{${MW}}[1d])`, '1-day average'],
      ]),
      panel('table', 'Feature status', 12, 8, [[`mlmon_feature_status{${MW}} == 1`, '', instant]], {
        transformations: [
          {
            id: 'organize',
            options: { excludeByName: { Time: true, Value: true, __name__: true, job: true, instance: true } },
          },
        ],
      }),
      panel('timeseries', 'Records in window', 12, 8, [[`mlmon_model_window_records{${M}}`, '{{window}}']]),
    ],
  ),
  'feature-drift': dashboard(
    'mlmon-feature-drift',
    'mlmon / Feature drift',
    'Per-feature distribution shift: the mlmon-drift-panel heatmap, PSI table, distributions against the reference.',
    [MODEL_VAR, WINDOW_VAR, FEATURE_VAR],
    [
      // The panel plugin (grafana-plugin/), fed the queries its README documents (refIds A-D),
      // as range queries in time-series format; options are left to its defaults.
      panel(
        'mlmon-drift-panel',
        'Distribution shift',
        24,
        12,
        [
          [`{__name__=~"mlmon_feature_(${DRIFT_PANEL_STATISTICS.join('|')})", ${MW}}`, '', RANGE],
          [`mlmon_feature_info{${M}}`, '', RANGE],
          [`mlmon_feature_reference_bin_ratio{${M}}`, '', RANGE],
          [`mlmon_feature_bin_ratio{${MW}}`, '', RANGE],
        ],
        { options: {} },
      ),
      panel(
        'table',
        'Drift statistics per feature',
        24,
        8,
        [
          [`mlmon_feature_psi{${MW}}`, '', instant],
          [`mlmon_feature_jensen_shannon_distance{${MW}}`, '', instant],
          [`mlmon_feature_ks_pvalue{${MW}}`, '', instant],
          [`mlmon_feature_wasserstein_normalized{${MW}}`, '', instant],
          [`mlmon_feature_samples{${MW}}`, '', instant],
        ],
        {
          transformations: [
            { id: 'merge', options: {} },
            {
              id: 'organize',
              options: {
                excludeByName: { Time: true, __name__: true, job: true, instance: true, model: true, window: true },
              },
            },
          ],
        },
      ),
      panel('timeseries', 'PSI over time', 12, 8, [[`mlmon_feature_psi{${MW}}`, '{{feature}}']], {
        ...unit('none', { thresholds: psiThresholds, custom: { thresholdsStyle: { mode: 'line' } } }),
      }),
      panel(
        'timeseries',
        'Fleet PSI (all replicas, 1h)',
        12,
        8,
        [[`mlmon:feature_psi:fleet_1h{${M}}`, '{{feature}}']],
        {
          ...unit('none', { thresholds: psiThresholds, custom: { thresholdsStyle: { mode: 'line' } } }),
        },
      ),
      row('Feature $feature'),
      panel(
        'barchart',
        'Distribution of $feature: window against reference',
        12,
        9,
        [
          [`mlmon_feature_bin_ratio{${MW}, feature="$feature"}`, 'current', instant],
          [`mlmon_feature_reference_bin_ratio{${M}, feature="$feature"}`, 'reference', instant],
        ],
        {
          options: { xField: 'range', orientation: 'auto' },
          transformations: [{ id: 'joinByField', options: { byField: 'range', mode: 'outer' } }],
          ...unit('percentunit'),
        },
      ),
      panel('timeseries', 'Mean shift and std ratio of $feature', 12, 9, [
        [`mlmon_feature_mean_shift{${MW}, feature="$feature"}`, 'mean shift (reference std)'],
        [`mlmon_feature_std_ratio{${MW}, feature="$feature"}`, 'std ratio'],
      ]),
      row('Data quality'),
      panel(
        'timeseries',
        'Missing values',
        8,
        8,
        [[`mlmon_feature_missing_ratio{${MW}}`, '{{feature}}']],
        unit('percentunit'),
      ),
      panel(
        'timeseries',
        'Out of range',
        8,
        8,
        [[`mlmon_feature_out_of_range_ratio{${MW}}`, '{{feature}}']],
        unit('percentunit'),
      ),
      panel(
        'timeseries',
        'New categories',
        8,
        8,
        [[`mlmon_feature_new_category_ratio{${MW}}`, '{{feature}}']],
        unit('percentunit'),
      ),
      panel(
        'timeseries',
        'Schema violations',
        12,
        8,
        [
          [
            `sum by (feature, reason) (rate(mlmon_schema_violations_total{${M}}[$__rate_interval]))`,
            '{{feature}} {{reason}}',
          ],
        ],
        unit('short'),
      ),
      panel('timeseries', 'Chi-squared p-value (categorical)', 12, 8, [
        [`mlmon_feature_chi2_pvalue{${MW}}`, '{{feature}}'],
      ]),
    ],
  ),
  'model-performance': dashboard(
    'mlmon-model-performance',
    'mlmon / Model performance',
    'Accuracy and error metrics once labels (or a golden set) arrive, label joins and delay, error-budget burn.',
    [MODEL_VAR, WINDOW_VAR],
    [
      panel('stat', 'Accuracy', 4, 4, [`mlmon_performance_accuracy{${MW}}`], unit('percentunit')),
      panel('stat', 'F1', 4, 4, [`mlmon_performance_f1{${MW}}`], unit('none')),
      panel('stat', 'AUROC', 4, 4, [`mlmon_performance_auroc{${MW}}`], unit('none')),
      panel('stat', 'RMSE', 4, 4, [`mlmon_performance_rmse{${MW}}`], unit('none')),
      panel('stat', 'MAE', 4, 4, [`mlmon_performance_mae{${MW}}`], unit('none')),
      panel('stat', 'MAPE', 4, 4, [`mlmon_performance_mape_ratio{${MW}}`], unit('percentunit')),
      panel(
        'timeseries',
        'Classification',
        12,
        8,
        [
          [`mlmon_performance_accuracy{${MW}}`, 'accuracy'],
          [`mlmon_performance_precision{${MW}}`, 'precision'],
          [`mlmon_performance_recall{${MW}}`, 'recall'],
          [`mlmon_performance_f1{${MW}}`, 'F1'],
          [`mlmon_performance_auroc{${MW}}`, 'AUROC'],
        ],
        unit('percentunit'),
      ),
      panel('timeseries', 'Regression', 12, 8, [
        [`mlmon_performance_rmse{${MW}}`, 'RMSE'],
        [`mlmon_performance_mae{${MW}}`, 'MAE'],
        [`mlmon_performance_mape_ratio{${MW}}`, 'MAPE'],
      ]),
      panel('timeseries', 'Error-budget burn (objective 95 % correct)', 12, 8, [
        [`mlmon:performance_error_ratio:rate1h{${M}} / 0.05`, '1h'],
        [`mlmon:performance_error_ratio:rate6h{${M}} / 0.05`, '6h'],
        [
          `sum(rate(mlmon_performance_absolute_error_total{${M}}[$__rate_interval])) / sum(rate(mlmon_performance_evaluated_total{${M}}[$__rate_interval]))`,
          'MAE (counters)',
        ],
      ]),
      panel(
        'timeseries',
        'Labels',
        12,
        8,
        [
          [`sum(rate(mlmon_labels_received_total{${M}}[$__rate_interval]))`, 'received'],
          [`sum(rate(mlmon_labels_joined_total{${M}}[$__rate_interval]))`, 'joined'],
          [`sum(rate(mlmon_labels_expired_total{${M}}[$__rate_interval]))`, 'expired'],
          [`sum(rate(mlmon_labels_unmatched_total{${M}}[$__rate_interval]))`, 'unmatched'],
        ],
        unit('reqps'),
      ),
      panel(
        'timeseries',
        'Label delay p50 / p95',
        12,
        8,
        [
          [
            `histogram_quantile(0.5, sum by (le) (rate(mlmon_label_delay_seconds_bucket{${M}}[$__rate_interval])))`,
            'p50',
          ],
          [
            `histogram_quantile(0.95, sum by (le) (rate(mlmon_label_delay_seconds_bucket{${M}}[$__rate_interval])))`,
            'p95',
          ],
        ],
        unit('s'),
      ),
      panel(
        'timeseries',
        'Predictions evaluated',
        12,
        8,
        [
          [`sum(rate(mlmon_performance_evaluated_total{${M}}[$__rate_interval]))`, 'evaluated'],
          [`sum(rate(mlmon_performance_correct_total{${M}}[$__rate_interval]))`, 'correct'],
        ],
        unit('reqps'),
      ),
      panel(
        'timeseries',
        'Predicted class shares',
        12,
        8,
        [[`mlmon_prediction_class_ratio{${MW}}`, '{{class}}']],
        unit('percentunit'),
      ),
    ],
  ),
  'exporter-health': dashboard(
    'mlmon-exporter-health',
    'mlmon / Exporter health',
    'The mlmon exporters themselves: targets, sources, probes, ingest, rejections, scrape cost, memory and CPU.',
    [],
    [
      panel('stat', 'Exporters up', 6, 4, [`sum(up{job=~".*mlmon-exporter.*"})`]),
      panel('stat', 'Ready', 6, 4, ['min(mlmon_ready)'], {
        fieldConfig: {
          defaults: {
            mappings: [
              {
                type: 'value',
                options: { 0: { text: 'not ready', color: 'red' }, 1: { text: 'ready', color: 'green' } },
              },
            ],
          },
          overrides: [],
        },
      }),
      panel('stat', 'Config reload', 6, 4, ['min(mlmon_config_last_reload_successful)'], {
        fieldConfig: {
          defaults: {
            mappings: [
              { type: 'value', options: { 0: { text: 'failed', color: 'red' }, 1: { text: 'ok', color: 'green' } } },
            ],
          },
          overrides: [],
        },
      }),
      panel('table', 'Versions', 6, 4, [['mlmon_build_info', '', instant]], {
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true, Value: true, __name__: true } } }],
      }),
      panel('state-timeline', 'Sources up', 12, 6, [['mlmon_source_up', '{{instance}} {{source}}']]),
      panel('timeseries', 'Source errors', 12, 6, [
        [`sum by (source, reason) (rate(mlmon_source_errors_total[$__rate_interval]))`, '{{source}} {{reason}}'],
      ]),
      panel(
        'timeseries',
        'Source read duration',
        12,
        6,
        [['mlmon_source_read_duration_seconds', '{{instance}} {{source}}']],
        unit('s'),
      ),
      panel(
        'timeseries',
        'Last success age',
        12,
        6,
        [['time() - mlmon_source_last_success_timestamp_seconds', '{{instance}} {{source}}']],
        unit('s'),
      ),
      panel('timeseries', 'Probe success', 12, 6, [['mlmon_probe_success', '{{source}}']]),
      panel('timeseries', 'Probe duration', 12, 6, [['mlmon_probe_duration_seconds', '{{source}}']], unit('s')),
      panel(
        'timeseries',
        'Ingest requests by code',
        12,
        6,
        [['sum by (code) (rate(mlmon_ingest_requests_total[$__rate_interval]))', '{{code}}']],
        unit('reqps'),
      ),
      panel(
        'timeseries',
        'Records rejected by reason',
        12,
        6,
        [['sum by (reason) (rate(mlmon_records_rejected_total[$__rate_interval]))', '{{reason}}']],
        unit('reqps'),
      ),
      panel(
        'timeseries',
        'Records counted, late, future',
        12,
        6,
        [
          ['sum by (model) (rate(mlmon_records_total[$__rate_interval]))', '{{model}} counted'],
          ['sum by (model) (rate(mlmon_records_late_total[$__rate_interval]))', '{{model}} late'],
          ['sum by (model) (rate(mlmon_records_future_total[$__rate_interval]))', '{{model}} future'],
        ],
        unit('reqps'),
      ),
      panel('timeseries', 'Unknown feature values', 12, 6, [
        ['sum by (model) (rate(mlmon_unknown_features_total[$__rate_interval]))', '{{model}}'],
      ]),
      panel(
        'timeseries',
        'Scrape duration',
        12,
        6,
        [['scrape_duration_seconds{job=~".*mlmon-exporter.*"}', '{{instance}}']],
        unit('s'),
      ),
      panel('timeseries', 'Series per scrape (cardinality budget)', 12, 6, [
        ['scrape_samples_scraped{job=~".*mlmon-exporter.*"}', '{{instance}}'],
      ]),
      panel(
        'timeseries',
        'Exporter memory',
        12,
        6,
        [
          ['process_resident_memory_bytes{job=~".*mlmon-exporter.*"}', '{{instance}} resident'],
          ['nodejs_heap_size_used_bytes{job=~".*mlmon-exporter.*"}', '{{instance}} heap used'],
        ],
        unit('bytes'),
      ),
      panel(
        'timeseries',
        'Exporter CPU',
        12,
        6,
        [['rate(process_cpu_seconds_total{job=~".*mlmon-exporter.*"}[$__rate_interval])', '{{instance}}']],
        unit('percentunit'),
      ),
      panel(
        'table',
        'References in force',
        24,
        6,
        [
          ['mlmon_reference_info', '', instant],
          ['mlmon_model_info', '', instant],
        ],
        {
          transformations: [
            { id: 'merge', options: {} },
            { id: 'organize', options: { excludeByName: { Time: true, Value: true, __name__: true } } },
          ],
        },
      ),
    ],
  ),
};

/** The file's text, formatted by the repo's prettier config (as `npm run format` leaves it). */
export async function render(dashboardJson) {
  const options = (await prettier.resolveConfig(fileURLToPath(OUT))) ?? {};
  return prettier.format(JSON.stringify(dashboardJson), { ...options, parser: 'json' });
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  for (const [name, json] of Object.entries(DASHBOARDS))
    writeFileSync(new URL(`${name}.json`, OUT), await render(json));
  console.log(`wrote ${Object.keys(DASHBOARDS).length} dashboards`);
}
