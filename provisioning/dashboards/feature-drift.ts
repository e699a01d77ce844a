// mlmon / Feature drift: per-feature distribution shift with the mlmon-drift-panel, the PSI
// table, and one feature's distribution against its reference.
import { readFileSync } from 'node:fs';
import * as barchart from '@grafana/grafana-foundation-sdk/barchart';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { FLEET, MODEL, MODEL_SEGMENT, MODEL_WINDOW, MODEL_WINDOW_SEGMENT, THRESHOLDS } from './config.ts';
import {
  FEATURE_DRIFT_UID,
  annotations,
  dashboard,
  featureDriftLink,
  featureVariable,
  modelVariables,
  segmentVariables,
  organize,
  panel,
  psiThresholds,
} from './common.ts';

/** The per-feature statistics the mlmon-drift-panel reads from its query A (from the exporter's metrics catalog). */
export const DRIFT_PANEL_STATISTICS: string[] = JSON.parse(
  readFileSync(new URL('../../grafana-plugin/src/data/drift-panel-statistics.json', import.meta.url), 'utf8'),
);

const FEATURE = `${MODEL_WINDOW_SEGMENT}, feature="$feature"`;
const lineThresholds = () => new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line);
const perFeature = (title: string, description: string, metric: string, unit: string, size: [number, number]) =>
  panel(new timeseries.PanelBuilder(), {
    title,
    description,
    unit,
    size,
    queries: [{ expr: `${metric}{${MODEL_WINDOW_SEGMENT}}`, legend: '{{feature}}' }],
  }).dataLinks([featureDriftLink('${__field.labels.feature}')]);

export default dashboard({
  uid: FEATURE_DRIFT_UID,
  title: 'mlmon / Feature drift',
  description:
    'Per-feature distribution shift: the mlmon-drift-panel heatmap, PSI table, distributions against the reference.',
  variables: [...modelVariables(), ...segmentVariables(), featureVariable()],
  annotations: annotations('model="$model"'),
  content: [
    // The panel plugin (grafana-plugin/), fed the queries its README documents (refIds A-F), as
    // range queries in time-series format; options are left to its defaults.
    panel(new PanelBuilder().type('mlmon-drift-panel').options({}), {
      title: 'Distribution shift',
      description:
        'Every feature against its reference: drift statistics and drift scores over time (A), feature types (B), reference and current bin ratios (C, D), label-free performance estimates beside the realised values (E), the bins that moved most (F). Click a feature for its details.',
      unit: 'none',
      size: [24, 12],
      queries: [
        { expr: `{__name__=~"mlmon_feature_(${DRIFT_PANEL_STATISTICS.join('|')})", ${MODEL_WINDOW_SEGMENT}}` },
        { expr: `mlmon_feature_info{${MODEL}}` },
        { expr: `mlmon_feature_reference_bin_ratio{${MODEL_SEGMENT}}` },
        { expr: `mlmon_feature_bin_ratio{${MODEL_WINDOW_SEGMENT}}` },
        {
          expr: `{__name__=~"mlmon_performance_(estimated_)?(accuracy|f1)(_lower|_upper)?", ${MODEL_WINDOW_SEGMENT}}`,
        },
        { expr: `mlmon_feature_drift_bin_contribution{${MODEL_WINDOW}}` },
      ],
    }),
    panel(new table.PanelBuilder(), {
      title: 'Drift statistics per feature',
      description:
        'PSI, Jensen-Shannon distance, Kolmogorov-Smirnov p-value, normalised Wasserstein distance and sample count of each feature now. Click a feature for its details.',
      unit: 'none',
      size: [24, 8],
      queries: [
        { expr: `mlmon_feature_psi{${MODEL_WINDOW_SEGMENT}}`, mode: 'table' },
        { expr: `mlmon_feature_jensen_shannon_distance{${MODEL_WINDOW_SEGMENT}}`, mode: 'table' },
        { expr: `mlmon_feature_ks_pvalue{${MODEL_WINDOW_SEGMENT}}`, mode: 'table' },
        { expr: `mlmon_feature_wasserstein_normalized{${MODEL_WINDOW_SEGMENT}}`, mode: 'table' },
        { expr: `mlmon_feature_samples{${MODEL_WINDOW_SEGMENT}}`, mode: 'table' },
      ],
    })
      .withTransformation({ id: 'merge', options: {} })
      .withTransformation(organize(['Time', '__name__', 'job', 'instance', 'namespace', 'pod', 'model', 'window']))
      .overrideByName('feature', [{ id: 'links', value: [featureDriftLink('${__data.fields.feature}').build()] }]),
    perFeature(
      'PSI over time',
      `PSI of each feature in this exporter's window; lines at ${THRESHOLDS.psiInvestigate} (investigate) and ${THRESHOLDS.psiDrift} (drift).`,
      'mlmon_feature_psi',
      'none',
      [12, 8],
    )
      .thresholds(psiThresholds())
      .thresholdsStyle(lineThresholds()),
    panel(new timeseries.PanelBuilder(), {
      title: 'Fleet PSI (all replicas, 1h)',
      description:
        'PSI of each feature over the last hour with the bins of every replica of the model added up (recording rule mlmon:feature_psi:fleet_1h): what the fleet drift alert sees.',
      unit: 'none',
      size: [12, 8],
      queries: [{ expr: `mlmon:feature_psi:fleet_1h{${FLEET}}`, legend: '{{feature}}' }],
    })
      .thresholds(psiThresholds())
      .thresholdsStyle(lineThresholds())
      .dataLinks([featureDriftLink('${__field.labels.feature}')]),
    new RowBuilder('Feature $feature'),
    panel(new barchart.PanelBuilder(), {
      title: 'Distribution of $feature: window against reference',
      description: 'Share of the records in each bin (or category) in the window, beside the reference profile.',
      unit: 'percentunit',
      size: [12, 9],
      queries: [
        { expr: `mlmon_feature_bin_ratio{${FEATURE}}`, legend: 'current', mode: 'table' },
        {
          expr: `mlmon_feature_reference_bin_ratio{${MODEL_SEGMENT}, feature="$feature"}`,
          legend: 'reference',
          mode: 'table',
        },
      ],
    })
      .xField('range')
      .withTransformation({ id: 'joinByField', options: { byField: 'range', mode: 'outer' } }),
    panel(new timeseries.PanelBuilder(), {
      title: 'Mean shift and std ratio of $feature',
      description:
        'How far the window mean moved, in reference standard deviations, and the window std over the reference std (1 = unchanged).',
      unit: 'none',
      size: [12, 9],
      queries: [
        { expr: `mlmon_feature_mean_shift{${FEATURE}}`, legend: 'mean shift (reference std)' },
        { expr: `mlmon_feature_std_ratio{${FEATURE}}`, legend: 'std ratio' },
      ],
    }),
    new RowBuilder('Data quality'),
    perFeature(
      'Missing values',
      `Share of records without a value for the feature; the alert fires above ${THRESHOLDS.missingRatio * 100} %.`,
      'mlmon_feature_missing_ratio',
      'percentunit',
      [8, 8],
    ),
    perFeature(
      'Out of range',
      'Share of numeric values outside the range seen in the reference.',
      'mlmon_feature_out_of_range_ratio',
      'percentunit',
      [8, 8],
    ),
    perFeature(
      'New categories',
      'Share of categorical values the reference never had.',
      'mlmon_feature_new_category_ratio',
      'percentunit',
      [8, 8],
    ),
    panel(new timeseries.PanelBuilder(), {
      title: 'Schema violations',
      description: 'Values rejected per second by the model schema, by feature and reason (wrong type, not allowed).',
      unit: 'cps',
      size: [12, 8],
      queries: [
        {
          expr: `sum by (feature, reason) (rate(mlmon_schema_violations_total{${MODEL}}[$__rate_interval]))`,
          legend: '{{feature}} {{reason}}',
        },
      ],
    }),
    perFeature(
      'Chi-squared p-value (categorical)',
      'p-value of the chi-squared test of each categorical feature against its reference; small means the shares moved.',
      'mlmon_feature_chi2_pvalue',
      'none',
      [12, 8],
    ),
  ],
});
