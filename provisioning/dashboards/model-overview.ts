// mlmon / Model overview: traffic, latency, errors, accuracy, drift summary and data freshness
// of one model on one exporter.
import * as common from '@grafana/grafana-foundation-sdk/common';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { FLEET, MODEL, MODEL_SEGMENT, MODEL_WINDOW_SEGMENT, THRESHOLDS } from './config.ts';
import {
  annotations,
  boolMapping,
  dashboard,
  featureDriftLink,
  modelVariables,
  segmentVariables,
  organize,
  panel,
  psiThresholds,
  thresholds,
} from './common.ts';

const latency = (q: number) => ({
  expr: `histogram_quantile(${q}, sum by (le) (rate(model_prediction_latency_seconds_bucket{${FLEET}}[$__rate_interval])))`,
  legend: `p${q * 100}`,
});

export default dashboard({
  uid: 'mlmon-model-overview',
  title: 'mlmon / Model overview',
  description: 'Traffic, latency, errors, accuracy, drift summary and data freshness of one model.',
  variables: [...modelVariables(), ...segmentVariables()],
  annotations: annotations('model="$model"'),
  content: [
    panel(new stat.PanelBuilder(), {
      title: 'Records per second',
      description: 'Prediction records this exporter counts for the model (ingest, sources and probes together).',
      unit: 'reqps',
      size: [4, 4],
      queries: [`sum(rate(mlmon_records_total{${MODEL}}[$__rate_interval]))`],
    }),
    panel(new stat.PanelBuilder(), {
      title: 'Data age',
      description: 'Time since the newest record of the model arrived. A stale window means stale drift numbers.',
      unit: 's',
      size: [4, 4],
      queries: [`mlmon_model_data_age_seconds{${MODEL}}`],
    }).thresholds(
      thresholds([
        [null, 'green'],
        [THRESHOLDS.dataAgeWarningSeconds, 'yellow'],
        [THRESHOLDS.dataAgeCriticalSeconds, 'red'],
      ]),
    ),
    panel(new stat.PanelBuilder(), {
      title: 'Drifted features',
      description: `Share of the features with enough samples whose drift test fired in the window; the dataset counts as drifted from ${THRESHOLDS.driftedFeaturesRatio * 100} %.`,
      unit: 'percentunit',
      size: [4, 4],
      queries: [`mlmon_model_drifted_features_ratio{${MODEL_WINDOW_SEGMENT}}`],
    }).thresholds(
      thresholds([
        [null, 'green'],
        [THRESHOLDS.driftedFeaturesRatio, 'red'],
      ]),
    ),
    panel(new stat.PanelBuilder(), {
      title: 'Dataset drift',
      description: 'DRIFT when the share of drifted features reaches the dataset threshold.',
      unit: 'bool',
      size: [4, 4],
      queries: [`mlmon_model_dataset_drift{${MODEL_WINDOW_SEGMENT}}`],
    }).mappings(boolMapping(['no', 'green'], ['DRIFT', 'red'])),
    panel(new stat.PanelBuilder(), {
      title: 'Accuracy',
      description: 'Share of joined predictions that matched their label in the window (classification models).',
      unit: 'percentunit',
      size: [4, 4],
      queries: [`mlmon_performance_accuracy{${MODEL_WINDOW_SEGMENT}}`],
    }),
    panel(new stat.PanelBuilder(), {
      title: 'Prediction PSI',
      description: `Population stability index of the predictions against the reference's predictions; drifted from ${THRESHOLDS.psiDrift}.`,
      unit: 'none',
      size: [4, 4],
      queries: [`mlmon_prediction_psi{${MODEL_WINDOW_SEGMENT}}`],
    }).thresholds(psiThresholds()),
    new RowBuilder('Serving (the model server\u2019s own metrics, every replica)'),
    panel(new timeseries.PanelBuilder(), {
      title: 'Prediction requests',
      description: 'Requests per second the model servers answered, all replicas summed (model_predictions_total).',
      unit: 'reqps',
      size: [8, 8],
      queries: [
        { expr: `sum by (model) (rate(model_predictions_total{${FLEET}}[$__rate_interval]))`, legend: '{{model}}' },
      ],
    }),
    panel(new timeseries.PanelBuilder(), {
      title: 'Latency p50 / p95 / p99',
      description: 'Prediction latency quantiles over all replicas, from the model server histogram.',
      unit: 's',
      size: [8, 8],
      queries: [latency(0.5), latency(0.95), latency(0.99)],
    }),
    panel(new timeseries.PanelBuilder(), {
      title: 'Error ratio',
      description: 'Share of prediction requests that failed, all replicas.',
      unit: 'percentunit',
      size: [8, 8],
      queries: [
        {
          expr: `sum(rate(model_prediction_errors_total{${FLEET}}[$__rate_interval])) / sum(rate(model_predictions_total{${FLEET}}[$__rate_interval]))`,
          legend: 'errors',
        },
      ],
    }),
    new RowBuilder('Model quality'),
    panel(new timeseries.PanelBuilder(), {
      title: 'Accuracy',
      description: 'Accuracy of the joined predictions in the window, over time.',
      unit: 'percentunit',
      size: [8, 8],
      queries: [{ expr: `mlmon_performance_accuracy{${MODEL_WINDOW_SEGMENT}}`, legend: 'accuracy' }],
    }),
    panel(new timeseries.PanelBuilder(), {
      title: 'Drift per feature (PSI)',
      description: `PSI of each feature against its reference; lines at ${THRESHOLDS.psiInvestigate} (investigate) and ${THRESHOLDS.psiDrift} (drift). Click a line for the feature's drift dashboard.`,
      unit: 'none',
      size: [8, 8],
      queries: [{ expr: `mlmon_feature_psi{${MODEL_WINDOW_SEGMENT}}`, legend: '{{feature}}' }],
    })
      .thresholds(psiThresholds())
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line))
      .dataLinks([featureDriftLink('${__field.labels.feature}')]),
    panel(new timeseries.PanelBuilder(), {
      title: 'Mean prediction',
      description: 'Mean prediction in the window, beside its 1-day average: a slow shift shows as the two parting.',
      unit: 'none',
      size: [8, 8],
      queries: [
        { expr: `mlmon_prediction_mean{${MODEL_WINDOW_SEGMENT}}`, legend: 'mean' },
        { expr: `avg_over_time(mlmon_prediction_mean{${MODEL_WINDOW_SEGMENT}}[1d])`, legend: '1-day average' },
      ],
    }),
    panel(new table.PanelBuilder(), {
      title: 'Feature status',
      description:
        'The drift status of each feature now (stable, investigate, drift, insufficient_data). Click a feature for its drift dashboard.',
      unit: 'none',
      size: [12, 8],
      queries: [{ expr: `mlmon_feature_status{${MODEL_WINDOW_SEGMENT}} == 1`, mode: 'table' }],
    })
      .withTransformation(organize(['Time', 'Value', '__name__', 'job', 'instance', 'namespace', 'pod']))
      .overrideByName('feature', [{ id: 'links', value: [featureDriftLink('${__data.fields.feature}').build()] }]),
    panel(new timeseries.PanelBuilder(), {
      title: 'Worst feature PSI per segment',
      description: `For a model with segments: each segment's most drifted feature (PSI, worst replica), from the recording rule mlmon:segment_feature_psi:max; a segment drifting while the whole model does not stands out here. Lines at ${THRESHOLDS.psiInvestigate} and ${THRESHOLDS.psiDrift}.`,
      unit: 'none',
      size: [24, 8],
      queries: [
        {
          expr: `mlmon:segment_feature_psi:max{${FLEET}, window="$window", segment=~".+"}`,
          legend: '{{segment}}={{segment_value}}',
        },
      ],
    })
      .thresholds(psiThresholds())
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line)),
    panel(new timeseries.PanelBuilder(), {
      title: 'Records in window',
      description:
        'Records each window of the model holds; below the model\u2019s min_samples the drift tests stay silent.',
      unit: 'short',
      size: [12, 8],
      queries: [{ expr: `mlmon_model_window_records{${MODEL_SEGMENT}}`, legend: '{{window}}' }],
    }),
  ],
});
