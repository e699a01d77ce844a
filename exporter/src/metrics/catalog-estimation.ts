// Catalog entries of label-free performance estimation (CBPE, src/performance/cbpe-*.ts): the
// estimate and its 95 % band per estimated metric, and the self-check once labels arrive.
import { ESTIMATED_METRICS, type EstimatedMetric } from '../performance/cbpe-estimate.ts';
import type { FamilySpec } from './catalog.ts';

type Bound = '' | '_lower' | '_upper';
type EstimateFamily = `mlmon_performance_estimated_${EstimatedMetric}${Bound}`;

const DESCRIPTION: Record<EstimatedMetric, string> = {
  accuracy: 'accuracy',
  precision: 'precision of the positive class (multiclass: macro one-vs-rest)',
  recall: 'recall of the positive class (multiclass: macro one-vs-rest)',
  f1: 'F1 of the positive class (multiclass: macro one-vs-rest)',
  auroc: 'ROC AUC (multiclass: macro one-vs-rest)',
};

const BOUND_TEXT: Record<Bound, string> = {
  '': 'Label-free estimate (CBPE) of the',
  _lower: 'Lower end of the 95 % band of the label-free estimate of the',
  _upper: 'Upper end of the 95 % band of the label-free estimate of the',
};

function estimateFamilies(): Record<EstimateFamily, FamilySpec> {
  const out: Partial<Record<EstimateFamily, FamilySpec>> = {};
  for (const metric of ESTIMATED_METRICS) {
    for (const bound of ['', '_lower', '_upper'] as const) {
      out[`mlmon_performance_estimated_${metric}${bound}`] = {
        section: 'estimation',
        type: 'gauge',
        help: `${BOUND_TEXT[bound]} ${DESCRIPTION[metric]} of the window's predictions, from their calibrated scores.`,
        labels: ['model', 'window'],
      };
    }
  }
  return out as Record<EstimateFamily, FamilySpec>;
}

export const ESTIMATION_CATALOG = {
  mlmon_performance_estimated_samples: {
    section: 'estimation',
    type: 'gauge',
    help: 'Predictions with a score in the window: those the label-free estimates are computed over.',
    labels: ['model', 'window'],
  } as FamilySpec,
  ...estimateFamilies(),
  mlmon_performance_estimation_labelled: {
    section: 'estimation',
    type: 'gauge',
    help: 'Predictions of the window whose label has arrived: the self-check compares the estimate with them.',
    labels: ['model', 'window'],
  } as FamilySpec,
  mlmon_performance_estimation_error: {
    section: 'estimation',
    type: 'gauge',
    help: "Estimated minus realised metric over the window's labelled predictions (once there are min_labelled).",
    doc: "Estimated minus realised `metric` (accuracy, precision, recall, f1, auroc) over the window's predictions whose label arrived, once there are `estimation.min_labelled`; the estimate is the one those predictions alone give.",
    labels: ['model', 'window', 'metric'],
  } as FamilySpec,
  mlmon_performance_estimation_within_band: {
    section: 'estimation',
    type: 'gauge',
    help: "Whether the realised metric of the labelled predictions fell inside the estimate's 95 % band: 1 inside, 0 outside.",
    labels: ['model', 'window', 'metric'],
  } as FamilySpec,
};
