// Per-model families: drift statistics, data quality, distributions and ingest counters.
import { driftShare, isDatasetDrift, type FeatureStatus } from '../stats/index.ts';
import { compareFeature } from '../report/compare.ts';
import { currentFromWindow } from '../report/from-window.ts';
import type { FeatureReport } from '../report/feature-report.ts';
import type { ModelEntry } from '../state.ts';
import { binLabels } from './bin-labels.ts';
import type { Exposition, FamilyWriter } from './exposition.ts';

const STATUSES: FeatureStatus[] = ['stable', 'investigate', 'drift', 'insufficient_data'];

/** Statistics exported per feature and window, only when the feature has enough data. */
const STATISTICS: [keyof FeatureReport, string, string][] = [
  ['psi', 'mlmon_feature_psi', 'Population stability index of the window against the reference.'],
  [
    'ks_statistic',
    'mlmon_feature_ks_statistic',
    'Two-sample Kolmogorov-Smirnov statistic D (numeric features, from the fine CDF).',
  ],
  [
    'ks_pvalue',
    'mlmon_feature_ks_pvalue',
    'Kolmogorov-Smirnov p-value of that D, from the limiting Kolmogorov distribution (numeric features).',
  ],
  [
    'wasserstein',
    'mlmon_feature_wasserstein',
    'Wasserstein-1 distance in the feature unit (numeric features, from the fine CDF).',
  ],
  [
    'wasserstein_normalized',
    'mlmon_feature_wasserstein_normalized',
    'Wasserstein-1 distance divided by the reference standard deviation.',
  ],
  [
    'jensen_shannon',
    'mlmon_feature_jensen_shannon_distance',
    'Jensen-Shannon distance, base 2 (0 to 1), on the PSI bins.',
  ],
  ['chi2_pvalue', 'mlmon_feature_chi2_pvalue', 'Chi-squared homogeneity test p-value (categorical features).'],
  [
    'mean_shift',
    'mlmon_feature_mean_shift',
    'Mean shift in reference standard deviations: (mean - reference mean) / reference std.',
  ],
  ['std_ratio', 'mlmon_feature_std_ratio', 'Standard deviation divided by the reference standard deviation.'],
];

/** Data-quality ratios, exported whenever the window has values to divide by. */
const QUALITY: [keyof FeatureReport, string, string][] = [
  [
    'missing_ratio',
    'mlmon_feature_missing_ratio',
    'Share of records in the window whose value is missing (absent, null, NaN or of the wrong type).',
  ],
  [
    'out_of_range_ratio',
    'mlmon_feature_out_of_range_ratio',
    "Share of values outside the reference's [min, max] (numeric features).",
  ],
  [
    'new_category_ratio',
    'mlmon_feature_new_category_ratio',
    'Share of values never seen in the reference (categorical features).',
  ],
];

export function collectModels(out: Exposition, models: Iterable<[string, ModelEntry]>, now: number): void {
  const f = {
    modelInfo: out.family(
      'mlmon_model_info',
      'info',
      'Model known to the exporter, with the last model_version seen (or "unknown").',
    ),
    referenceInfo: out.family(
      'mlmon_reference_info',
      'info',
      'Reference profile in force, by content hash. Bin counters restart when it changes.',
    ),
    featureInfo: out.family('mlmon_feature_info', 'info', 'Monitored feature and its type (numeric or categorical).'),
    windowRecords: out.family('mlmon_model_window_records', 'gauge', 'Records of the model inside the sliding window.'),
    samples: out.family(
      'mlmon_feature_samples',
      'gauge',
      'Non-missing values of the feature inside the sliding window.',
    ),
    status: out.family(
      'mlmon_feature_status',
      'gauge',
      'Drift status of the feature: 1 for the current status, 0 for the others.',
    ),
    drifted: out.family(
      'mlmon_feature_drift_detected',
      'gauge',
      '1 when the feature drifted (its drift statistic is past the threshold with enough data), else 0.',
    ),
    share: out.family('mlmon_model_drifted_features_ratio', 'gauge', 'Drifted features / features with enough data.'),
    datasetDrift: out.family(
      'mlmon_model_dataset_drift',
      'gauge',
      '1 when the drifted-features ratio is at or above the model drift_share, else 0.',
    ),
    statistics: STATISTICS.map(([key, name, help]) => [key, out.family(name, 'gauge', help)] as const),
    quality: QUALITY.map(([key, name, help]) => [key, out.family(name, 'gauge', help)] as const),
    binRatio: out.family(
      'mlmon_feature_bin_ratio',
      'gauge',
      'Share of the window values in each bin (range label: the bin bounds).',
    ),
    referenceBinRatio: out.family(
      'mlmon_feature_reference_bin_ratio',
      'gauge',
      'Share of the reference values in each bin.',
    ),
    binObservations: out.family(
      'mlmon_feature_bin_observations_total',
      'counter',
      'Values observed in each bin since the exporter started.',
    ),
    predictionPsi: out.family(
      'mlmon_prediction_psi',
      'gauge',
      'Population stability index of the predictions against the reference predictions.',
    ),
    predictionMean: out.family(
      'mlmon_prediction_mean',
      'gauge',
      'Mean prediction in the window (numeric predictions).',
    ),
    predictionClass: out.family(
      'mlmon_prediction_class_ratio',
      'gauge',
      'Share of predictions per class in the window (categorical predictions).',
    ),
    records: out.family('mlmon_records_total', 'counter', 'Records counted into the windows.'),
    late: out.family('mlmon_records_late_total', 'counter', 'Records older than the longest window, dropped.'),
    future: out.family(
      'mlmon_records_future_total',
      'counter',
      'Records timestamped beyond the future tolerance, counted at the current time.',
    ),
    unknownFeatures: out.family(
      'mlmon_unknown_features_total',
      'counter',
      'Feature values whose name is not in the reference profile, ignored.',
    ),
    violations: out.family(
      'mlmon_schema_violations_total',
      'counter',
      'Values of the wrong type, treated as missing, by feature and reason.',
    ),
    lastRecord: out.family(
      'mlmon_model_last_record_timestamp_seconds',
      'gauge',
      'Timestamp of the newest record counted.',
    ),
    dataAge: out.family('mlmon_model_data_age_seconds', 'gauge', 'Age of the newest record counted (freshness).'),
  };

  for (const [model, entry] of models) {
    const { state } = entry;
    f.modelInfo.sample({ model, model_version: state.modelVersion }, 1);
    f.referenceInfo.sample({ model, reference_hash: state.profile.hash }, 1);
    for (const slot of state.layout.features) f.featureInfo.sample({ model, feature: slot.name, type: slot.type }, 1);

    for (const totals of state.totals(now)) {
      const window = totals.window.label;
      f.windowRecords.sample({ model, window }, totals.counts[0]);
      const statuses: FeatureStatus[] = [];
      for (const slot of state.layout.features) {
        const labels = { model, feature: slot.name, window };
        const report = compareFeature(slot.profile, currentFromWindow(slot, totals), entry.drift, undefined, 'limit');
        statuses.push(report.status);
        f.samples.sample(labels, report.n_current);
        for (const status of STATUSES) f.status.sample({ ...labels, status }, status === report.status ? 1 : 0);
        f.drifted.sample(labels, report.drifted ? 1 : 0);
        if (report.status !== 'insufficient_data') writeReport(f.statistics, labels, report);
        writeReport(f.quality, labels, report);
        const bins = totals.counts.subarray(slot.binsOffset, slot.binsOffset + slot.binCount);
        if (report.n_current > 0) writeShares(f.binRatio, labels, binLabels(slot.profile), bins, report.n_current);
      }
      const share = driftShare(statuses);
      f.share.sample({ model, window }, share);
      f.datasetDrift.sample({ model, window }, isDatasetDrift(share, entry.driftShare) ? 1 : 0);

      const prediction = state.layout.prediction;
      if (prediction) {
        const current = currentFromWindow(prediction, totals);
        const report = compareFeature(prediction.profile, current, entry.drift, undefined, 'limit');
        if (report.status !== 'insufficient_data' && report.psi !== undefined)
          f.predictionPsi.sample({ model, window }, report.psi);
        if (current.type === 'numeric' && current.finite > 0 && prediction.profile.type === 'numeric') {
          f.predictionMean.sample({ model, window }, prediction.profile.mean + current.centredSum / current.finite);
        }
        if (current.type === 'categorical' && current.present > 0) {
          binLabels(prediction.profile).forEach((label, i) =>
            f.predictionClass.sample({ model, window, class: label.bin }, current.bins[i] / current.present),
          );
        }
      }
    }

    for (const slot of state.slots()) {
      const labels = binLabels(slot.profile);
      const featureLabels = { model, feature: slot.name };
      writeShares(f.referenceBinRatio, featureLabels, labels, slot.profile.counts, slot.profile.count);
      const observed = state.binObservations.get(slot.name)!;
      labels.forEach((label, i) => f.binObservations.sample({ ...featureLabels, ...label }, observed[i]));
    }
    f.records.sample({ model }, state.recordsTotal);
    f.late.sample({ model }, state.lateTotal);
    f.future.sample({ model }, state.futureTotal);
    f.unknownFeatures.sample({ model }, state.unknownFeaturesTotal);
    for (const [key, count] of state.violations) {
      const [feature, reason] = key.split('\t');
      f.violations.sample({ model, feature, reason }, count);
    }
    f.lastRecord.sample({ model }, state.lastRecordMs / 1000);
    f.dataAge.sample({ model }, (now - state.lastRecordMs) / 1000);
  }
}

function writeReport(
  families: readonly (readonly [keyof FeatureReport, FamilyWriter])[],
  labels: Record<string, string>,
  report: FeatureReport,
): void {
  for (const [key, family] of families) {
    const value = report[key];
    if (typeof value === 'number') family.sample(labels, value);
  }
}

function writeShares(
  family: FamilyWriter,
  labels: Record<string, string>,
  bins: { bin: string; range: string }[],
  counts: ArrayLike<number>,
  total: number,
): void {
  if (total <= 0) return;
  bins.forEach((bin, i) => family.sample({ ...labels, ...bin }, counts[i] / total));
}
