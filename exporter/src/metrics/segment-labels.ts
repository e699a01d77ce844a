// The families written per segment as well as per model (drift, data quality, realised and estimated performance): a segment's series carry the segment
// column and value as two more labels; the whole model's series stay without them.
import { familiesWhere, type FamilyName } from './catalog.ts';

export const SEGMENT_LABELS = ['segment', 'segment_value'] as const;

export const SEGMENTED_FAMILIES: ReadonlySet<FamilyName> = new Set<FamilyName>([
  ...familiesWhere(
    (spec) => spec.feature !== undefined || spec.performance !== undefined || spec.section === 'estimation',
  ).map(([name]) => name),
  'mlmon_performance_samples',
  'mlmon_label_class_ratio',
  'mlmon_model_window_records',
  'mlmon_feature_samples',
  'mlmon_feature_status',
  'mlmon_feature_drift_detected',
  'mlmon_feature_drift_threshold',
  'mlmon_model_drifted_features_ratio',
  'mlmon_model_dataset_drift',
  'mlmon_feature_bin_ratio',
  'mlmon_feature_reference_bin_ratio',
  'mlmon_prediction_psi',
  'mlmon_prediction_mean',
  'mlmon_prediction_class_ratio',
]);
