// mlmon / Model performance: accuracy and error metrics once labels (or a golden set) arrive,
// label-free estimates beside them, label joins and delay, error-budget burn.
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { ERROR_BUDGET, FLEET, MODEL, MODEL_WINDOW_SEGMENT } from './config.ts';
import { annotations, dashboard, modelVariables, panel, segmentVariables } from './common.ts';

const headline = (title: string, description: string, metric: string, unit: string) =>
  panel(new stat.PanelBuilder(), {
    title,
    description,
    unit,
    size: [4, 4],
    queries: [`${metric}{${MODEL_WINDOW_SEGMENT}}`],
  });
const rate = (metric: string, legend: string) => ({
  expr: `sum(rate(${metric}{${MODEL}}[$__rate_interval]))`,
  legend,
});
/**
 * A label-free estimate (CBPE) beside the realised value from labels: the estimate's 95 % band
 * shaded between its ends, the realised value as points on top once labels arrive.
 */
const estimatedBesideRealised = (metric: string, title: string) =>
  panel(new timeseries.PanelBuilder(), {
    title: `${title}: estimated (no labels) and realised`,
    description: `Label-free estimate of the window's ${title.toLowerCase()} from the calibrated scores (CBPE, with performance.estimation), its 95 % band, and the realised value once labels arrive. A realised value often outside the band means the calibration no longer holds.`,
    unit: 'percentunit',
    size: [12, 8],
    queries: [
      { expr: `mlmon_performance_estimated_${metric}{${MODEL_WINDOW_SEGMENT}}`, legend: 'estimated' },
      { expr: `mlmon_performance_estimated_${metric}_lower{${MODEL_WINDOW_SEGMENT}}`, legend: 'band low' },
      { expr: `mlmon_performance_estimated_${metric}_upper{${MODEL_WINDOW_SEGMENT}}`, legend: 'band high' },
      { expr: `mlmon_performance_${metric}{${MODEL_WINDOW_SEGMENT}}`, legend: 'realised' },
    ],
  })
    .overrideByName('band high', [
      { id: 'custom.fillBelowTo', value: 'band low' },
      { id: 'custom.lineWidth', value: 0 },
      { id: 'custom.fillOpacity', value: 20 },
    ])
    .overrideByName('band low', [{ id: 'custom.lineWidth', value: 0 }])
    .overrideByName('realised', [
      { id: 'custom.drawStyle', value: 'points' },
      { id: 'custom.pointSize', value: 6 },
    ]);

const labelDelay = (q: number) => ({
  expr: `histogram_quantile(${q}, sum by (le) (rate(mlmon_label_delay_seconds_bucket{${MODEL}}[$__rate_interval])))`,
  legend: `p${q * 100}`,
});

export default dashboard({
  uid: 'mlmon-model-performance',
  title: 'mlmon / Model performance',
  description:
    'Accuracy and error metrics once labels (or a golden set) arrive, label joins and delay, error-budget burn.',
  variables: [...modelVariables(), ...segmentVariables()],
  annotations: annotations('model="$model"'),
  content: [
    headline(
      'Accuracy',
      'Share of joined predictions equal to their label in the window (classification).',
      'mlmon_performance_accuracy',
      'percentunit',
    ),
    headline(
      'F1',
      'Harmonic mean of precision and recall in the window (classification).',
      'mlmon_performance_f1',
      'none',
    ),
    headline(
      'AUROC',
      'Area under the ROC curve of the predicted scores in the window (binary classification).',
      'mlmon_performance_auroc',
      'none',
    ),
    headline(
      'RMSE',
      'Root mean squared error in the window (regression), in the label\u2019s unit.',
      'mlmon_performance_rmse',
      'none',
    ),
    headline(
      'MAE',
      'Mean absolute error in the window (regression), in the label\u2019s unit.',
      'mlmon_performance_mae',
      'none',
    ),
    headline(
      'MAPE',
      'Mean absolute percentage error in the window (regression).',
      'mlmon_performance_mape_ratio',
      'percentunit',
    ),
    panel(new timeseries.PanelBuilder(), {
      title: 'Classification',
      description: 'Accuracy, precision, recall, F1 and AUROC of the window over time.',
      unit: 'percentunit',
      size: [12, 8],
      queries: [
        { expr: `mlmon_performance_accuracy{${MODEL_WINDOW_SEGMENT}}`, legend: 'accuracy' },
        { expr: `mlmon_performance_precision{${MODEL_WINDOW_SEGMENT}}`, legend: 'precision' },
        { expr: `mlmon_performance_recall{${MODEL_WINDOW_SEGMENT}}`, legend: 'recall' },
        { expr: `mlmon_performance_f1{${MODEL_WINDOW_SEGMENT}}`, legend: 'F1' },
        { expr: `mlmon_performance_auroc{${MODEL_WINDOW_SEGMENT}}`, legend: 'AUROC' },
      ],
    }),
    estimatedBesideRealised('accuracy', 'Accuracy'),
    estimatedBesideRealised('f1', 'F1'),
    panel(new timeseries.PanelBuilder(), {
      title: 'Estimation error (once labels arrive)',
      description:
        'Label-free estimate minus realised value over the window\u2019s labelled predictions, per metric (with performance.estimation): near 0 while the calibration holds; MlmonPerformanceEstimateOffBand fires when the realised value is outside the 95 % band more than half of 6 h.',
      unit: 'none',
      size: [12, 8],
      queries: [{ expr: `mlmon_performance_estimation_error{${MODEL_WINDOW_SEGMENT}}`, legend: '{{metric}}' }],
    }),
    panel(new timeseries.PanelBuilder(), {
      title: 'Regression',
      description: 'RMSE and MAE (in the label\u2019s unit) and MAPE (a ratio) of the window over time.',
      unit: 'none',
      size: [12, 8],
      queries: [
        { expr: `mlmon_performance_rmse{${MODEL_WINDOW_SEGMENT}}`, legend: 'RMSE' },
        { expr: `mlmon_performance_mae{${MODEL_WINDOW_SEGMENT}}`, legend: 'MAE' },
        { expr: `mlmon_performance_mape_ratio{${MODEL_WINDOW_SEGMENT}}`, legend: 'MAPE' },
      ],
    }),
    panel(new timeseries.PanelBuilder(), {
      title: `Error-budget burn (objective ${100 - ERROR_BUDGET * 100} % correct)`,
      description: `Error ratio of all replicas over 1 h and 6 h divided by the budget (${ERROR_BUDGET}): 1 spends the budget exactly, the burn-rate alerts fire at 14.4 and 6. Beside it the MAE from the counters of this exporter.`,
      unit: 'none',
      size: [12, 8],
      queries: [
        { expr: `mlmon:performance_error_ratio:rate1h{${FLEET}} / ${ERROR_BUDGET}`, legend: '1h' },
        { expr: `mlmon:performance_error_ratio:rate6h{${FLEET}} / ${ERROR_BUDGET}`, legend: '6h' },
        {
          expr: `sum(rate(mlmon_performance_absolute_error_total{${MODEL}}[$__rate_interval])) / sum(rate(mlmon_performance_evaluated_total{${MODEL}}[$__rate_interval]))`,
          legend: 'MAE (counters)',
        },
      ],
    }),
    panel(new timeseries.PanelBuilder(), {
      title: 'Labels',
      description:
        'Ground-truth labels per second: received, joined to a prediction, expired before one arrived, and unmatched.',
      unit: 'reqps',
      size: [12, 8],
      queries: [
        rate('mlmon_labels_received_total', 'received'),
        rate('mlmon_labels_joined_total', 'joined'),
        rate('mlmon_labels_expired_total', 'expired'),
        rate('mlmon_labels_unmatched_total', 'unmatched'),
      ],
    }),
    panel(new timeseries.PanelBuilder(), {
      title: 'Label delay p50 / p95',
      description: 'Time between a prediction and its label arriving.',
      unit: 's',
      size: [12, 8],
      queries: [labelDelay(0.5), labelDelay(0.95)],
    }),
    panel(new timeseries.PanelBuilder(), {
      title: 'Predictions evaluated',
      description: 'Predictions per second joined to a label and scored, and how many of them were correct.',
      unit: 'reqps',
      size: [12, 8],
      queries: [
        rate('mlmon_performance_evaluated_total', 'evaluated'),
        rate('mlmon_performance_correct_total', 'correct'),
      ],
    }),
    panel(new timeseries.PanelBuilder(), {
      title: 'Predicted class shares',
      description: 'Share of each predicted class in the window (classification).',
      unit: 'percentunit',
      size: [12, 8],
      queries: [{ expr: `mlmon_prediction_class_ratio{${MODEL_WINDOW_SEGMENT}}`, legend: '{{class}}' }],
    }),
  ],
});
