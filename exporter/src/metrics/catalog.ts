// The catalog of every metric family the exporter writes: name, type, help, labels and unit, in one
// place. The /metrics writer takes a family's type and help from here, METRICS.md's tables and the
// plugin's and dashboards' statistic list are generated from it (scripts/generate-metrics.ts), and
// the per-feature and per-window statistic families are written by iterating it. Adding a family
// is one entry here (plus the code that computes its value, when it is new).
import type { PerformanceReport } from '../performance/report.ts';
import { ESTIMATION_CATALOG } from './catalog-estimation.ts';
import type { FeatureReport } from '../report/feature-report.ts';

/** `info` is written as a gauge whose value is always 1. */
export type MetricType = 'gauge' | 'counter' | 'info' | 'histogram';

/** The METRICS.md section a family is listed in. */
export type Section =
  | 'drift'
  | 'distributions'
  | 'predictions'
  | 'performance'
  | 'estimation'
  | 'quality'
  | 'health'
  | 'probe'
  | 'prometheus'
  | 'snapshots';

export interface FamilySpec {
  readonly section: Section;
  readonly type: MetricType;
  /** The `# HELP` line: one sentence. */
  readonly help: string;
  /** The METRICS.md meaning, when it says more than `help`. */
  readonly doc?: string;
  readonly labels: readonly string[];
  readonly unit?: 'seconds' | 'bytes' | 'ratio';
  /** Written per feature and window from that field of the feature's report: `enough_data` only with `min_samples`. */
  readonly feature?: { readonly report: keyof FeatureReport; readonly when: 'enough_data' | 'always' };
  /** Written per model and window from that field of the performance report. */
  readonly performance?: keyof PerformanceReport;
  /** One of the per-feature families the mlmon drift panel reads from its query: its place in the list. */
  readonly driftPanel?: number;
}

export const CATALOG = {
  // Drift, per feature and window
  mlmon_feature_psi: {
    section: 'drift',
    type: 'gauge',
    help: 'Population stability index of the window against the reference.',
    doc: 'Population stability index against the reference (empty-bin shares 1e-4). ≤ 0.1 stable, 0.1–0.2 investigate, > 0.2 drift.',
    labels: ['model', 'feature', 'window'],
    feature: { report: 'psi', when: 'enough_data' },
    driftPanel: 1,
  },
  mlmon_feature_ks_statistic: {
    section: 'drift',
    type: 'gauge',
    help: 'Two-sample Kolmogorov-Smirnov statistic D (numeric features, from the fine CDF).',
    doc: 'Two-sample Kolmogorov-Smirnov D, numeric features, from the fine CDF (reference quantiles at i/100 and in the tails): the true D lies within [D, D + the largest bin share].',
    labels: ['model', 'feature', 'window'],
    feature: { report: 'ks_statistic', when: 'enough_data' },
    driftPanel: 2,
  },
  mlmon_feature_ks_pvalue: {
    section: 'drift',
    type: 'gauge',
    help: 'Kolmogorov-Smirnov p-value of that D, from the limiting Kolmogorov distribution (numeric features).',
    doc: "KS p-value for that D and the two sample sizes from the limiting Kolmogorov distribution (scipy `kstwobign.sf(D·√(nm/(n+m)))`): microseconds per feature at every scrape; close to `ks_2samp`'s exact value for large samples, a little larger (more conservative) for small ones.",
    labels: ['model', 'feature', 'window'],
    feature: { report: 'ks_pvalue', when: 'enough_data' },
    driftPanel: 3,
  },
  mlmon_feature_wasserstein: {
    section: 'drift',
    type: 'gauge',
    help: 'Wasserstein-1 distance in the feature unit (numeric features, from the fine CDF).',
    doc: "Wasserstein-1 distance in the feature's unit, numeric features, from the fine CDF.",
    labels: ['model', 'feature', 'window'],
    feature: { report: 'wasserstein', when: 'enough_data' },
    driftPanel: 4,
  },
  mlmon_feature_wasserstein_normalized: {
    section: 'drift',
    type: 'gauge',
    help: 'Wasserstein-1 distance divided by the reference standard deviation.',
    doc: 'Wasserstein-1 / reference population std (floor 0.001).',
    labels: ['model', 'feature', 'window'],
    feature: { report: 'wasserstein_normalized', when: 'enough_data' },
    driftPanel: 5,
  },
  mlmon_feature_jensen_shannon_distance: {
    section: 'drift',
    type: 'gauge',
    help: 'Jensen-Shannon distance, base 2 (0 to 1), on the PSI bins.',
    doc: 'Jensen-Shannon distance, base 2 (0–1), on the PSI bins.',
    labels: ['model', 'feature', 'window'],
    feature: { report: 'jensen_shannon', when: 'enough_data' },
    driftPanel: 6,
  },
  mlmon_feature_chi2_pvalue: {
    section: 'drift',
    type: 'gauge',
    help: 'Chi-squared homogeneity test p-value (categorical features).',
    doc: 'Chi-squared homogeneity p-value, categorical features.',
    labels: ['model', 'feature', 'window'],
    feature: { report: 'chi2_pvalue', when: 'enough_data' },
  },
  mlmon_feature_mean_shift: {
    section: 'drift',
    type: 'gauge',
    help: 'Mean shift in reference standard deviations: (mean - reference mean) / reference std.',
    doc: '(mean − reference mean) / reference std, numeric features.',
    labels: ['model', 'feature', 'window'],
    feature: { report: 'mean_shift', when: 'enough_data' },
  },
  mlmon_feature_std_ratio: {
    section: 'drift',
    type: 'gauge',
    help: 'Standard deviation divided by the reference standard deviation.',
    doc: 'std / reference std, numeric features.',
    labels: ['model', 'feature', 'window'],
    unit: 'ratio',
    feature: { report: 'std_ratio', when: 'enough_data' },
  },
  mlmon_feature_drift_detected: {
    section: 'drift',
    type: 'gauge',
    help: '1 when the feature drifted (its drift statistic is past the threshold with enough data), else 0.',
    doc: "1 when the model's drift statistic is past its threshold with enough data, else 0.",
    labels: ['model', 'feature', 'window'],
  },
  mlmon_feature_drift_threshold: {
    section: 'drift',
    type: 'gauge',
    help: "Threshold of the model's drift statistic in force for the feature and window.",
    doc: "Threshold of the model's drift statistic in force: `drift.threshold` (fixed), or with `drift.calibration: false_alarm_rate` the value a window of this size drawn from the reference passes with the feature's share of `false_alarm_rate`. Absent below `min_samples`.",
    labels: ['model', 'feature', 'window'],
  },
  mlmon_feature_status: {
    section: 'drift',
    type: 'gauge',
    help: 'Drift status of the feature: 1 for the current status, 0 for the others.',
    doc: "1 for the feature's status (`stable`, `investigate`, `drift`, `insufficient_data`), 0 for the other three.",
    labels: ['model', 'feature', 'window', 'status'],
    driftPanel: 9,
  },
  mlmon_feature_samples: {
    section: 'drift',
    type: 'gauge',
    help: 'Non-missing values of the feature inside the sliding window.',
    doc: 'Non-missing values in the window (compare with `min_samples`).',
    labels: ['model', 'feature', 'window'],
    driftPanel: 8,
  },
  mlmon_model_drifted_features_ratio: {
    section: 'drift',
    type: 'gauge',
    help: 'Drifted features / features with enough data.',
    doc: 'Drifted features / features with enough data (absent when none has).',
    labels: ['model', 'window'],
    unit: 'ratio',
  },
  mlmon_model_dataset_drift: {
    section: 'drift',
    type: 'gauge',
    help: '1 when the drifted-features ratio is at or above the model drift_share, else 0.',
    doc: "1 when that ratio is ≥ the model's `drift.share` (default 0.3).",
    labels: ['model', 'window'],
  },
  mlmon_feature_drift_bin_contribution: {
    section: 'drift',
    type: 'gauge',
    help: "A bin's contribution to the drift statistic of a drifted feature (its top drift.top_bins bins).",
    doc: "The part of a drifted feature's statistic that one bin contributes, for the feature's `drift.top_bins` (default 3) largest contributions that are above 0; absent for features not in `drift`. PSI: (c − r)·ln(c / r) of the bin's shares, which sum to `mlmon_feature_psi`; `jensen_shannon`: the bin's term of the JS divergence, which sum to the distance squared; models deciding on KS or Wasserstein get PSI's terms. `bin` and `range` as in `mlmon_feature_bin_ratio`.",
    labels: ['model', 'feature', 'window', 'bin', 'range'],
  },
  mlmon_feature_drift_score: {
    section: 'drift',
    type: 'gauge',
    help: "The feature's part of mlmon_model_drift_score: its importance share times its statistic over its threshold.",
    doc: "The feature's part of `mlmon_model_drift_score`: its `importance` over the sum of the importances of the features with enough data, times its statistic over the threshold in force (1 at the threshold; for `ks_pvalue` log p / log threshold). Rank features with `topk`. Absent below `min_samples`, and for every feature when every importance is 0.",
    labels: ['model', 'feature', 'window'],
    driftPanel: 10,
  },
  mlmon_model_drift_score: {
    section: 'drift',
    type: 'gauge',
    help: 'Importance-weighted mean over the features of their drift statistic over its threshold (1 = at the threshold).',
    doc: 'The importance-weighted mean, over the features with enough data, of their statistic over the threshold in force: the sum of `mlmon_feature_drift_score`. 1 when the features, weighed by `features[].importance` (default 1 each), sit at their thresholds on average. Absent when no feature has enough data or every importance is 0.',
    labels: ['model', 'window'],
  },
  mlmon_model_window_records: {
    section: 'drift',
    type: 'gauge',
    help: 'Records of the model inside the sliding window.',
    doc: 'Records in the window.',
    labels: ['model', 'window'],
  },

  // Distributions
  mlmon_feature_reference_bin_ratio: {
    section: 'distributions',
    type: 'gauge',
    help: 'Share of the reference values in each bin.',
    labels: ['model', 'feature', 'bin', 'range'],
    unit: 'ratio',
  },
  mlmon_feature_bin_ratio: {
    section: 'distributions',
    type: 'gauge',
    help: 'Share of the window values in each bin (range label: the bin bounds).',
    doc: "Share of the window's values in each bin.",
    labels: ['model', 'feature', 'window', 'bin', 'range'],
    unit: 'ratio',
  },
  mlmon_feature_bin_observations_total: {
    section: 'distributions',
    type: 'counter',
    help: 'Values observed in each bin since the exporter started.',
    doc: "Values seen in each bin since the exporter started (all records, not windowed). Replicas sum: fleet shares are `sum by (model, feature, bin) (increase(...))` normalised. Also present for the prediction (feature = the prediction's name).",
    labels: ['model', 'feature', 'bin', 'range'],
  },

  // Predictions
  mlmon_prediction_psi: {
    section: 'predictions',
    type: 'gauge',
    help: 'Population stability index of the predictions against the reference predictions.',
    doc: 'PSI of the predictions against the reference predictions (with enough data).',
    labels: ['model', 'window'],
  },
  mlmon_prediction_mean: {
    section: 'predictions',
    type: 'gauge',
    help: 'Mean prediction in the window (numeric predictions).',
    doc: 'Mean prediction in the window, numeric predictions.',
    labels: ['model', 'window'],
  },
  mlmon_prediction_class_ratio: {
    section: 'predictions',
    type: 'gauge',
    help: 'Share of predictions per class in the window (categorical predictions).',
    doc: 'Share of each predicted class in the window, categorical predictions (top classes and `__other__`).',
    labels: ['model', 'window', 'class'],
    unit: 'ratio',
  },
  mlmon_prediction_confidence: {
    section: 'predictions',
    type: 'histogram',
    help: 'Probability of the predicted class, from the scores (binary score p: max(p, 1 - p)).',
    doc: 'Probability of the predicted class, from `scores` (a thresholded binary score p counts as max(p, 1 − p)); buckets 0.5 … 1. A falling confidence warns of drift before labels arrive.',
    labels: ['model'],
  },

  // Performance (once labels arrive)
  mlmon_performance_samples: {
    section: 'performance',
    type: 'gauge',
    help: 'Predictions evaluated against their labels in the window.',
    labels: ['model', 'window'],
  },
  mlmon_performance_accuracy: {
    section: 'performance',
    type: 'gauge',
    help: 'Accuracy of the predictions whose labels arrived in the window.',
    doc: 'Accuracy (classification).',
    labels: ['model', 'window'],
    performance: 'accuracy',
  },
  mlmon_performance_precision: {
    section: 'performance',
    type: 'gauge',
    help: 'Precision (binary: of the positive class; else macro average).',
    doc: 'Precision: of the positive class, or macro average.',
    labels: ['model', 'window'],
    performance: 'precision',
  },
  mlmon_performance_recall: {
    section: 'performance',
    type: 'gauge',
    help: 'Recall (binary: of the positive class; else macro average).',
    doc: 'Recall: of the positive class, or macro average.',
    labels: ['model', 'window'],
    performance: 'recall',
  },
  mlmon_performance_f1: {
    section: 'performance',
    type: 'gauge',
    help: 'F1 score (binary: of the positive class; else macro average).',
    doc: 'F1: of the positive class, or macro average.',
    labels: ['model', 'window'],
    performance: 'f1',
  },
  mlmon_performance_auroc: {
    section: 'performance',
    type: 'gauge',
    help: 'Area under the ROC curve from the scores (multiclass: macro one-vs-rest).',
    doc: 'ROC AUC from the scores (exact for binary scores given to 3 decimals; 0.01 resolution per class for multiclass).',
    labels: ['model', 'window'],
    performance: 'auroc',
  },
  mlmon_performance_rmse: {
    section: 'performance',
    type: 'gauge',
    help: 'Root mean squared error (regression).',
    labels: ['model', 'window'],
    performance: 'rmse',
  },
  mlmon_performance_mae: {
    section: 'performance',
    type: 'gauge',
    help: 'Mean absolute error (regression).',
    labels: ['model', 'window'],
    performance: 'mae',
  },
  mlmon_performance_mape_ratio: {
    section: 'performance',
    type: 'gauge',
    help: 'Mean absolute percentage error as a ratio (regression).',
    doc: 'Mean absolute percentage error as a ratio (regression; \\|y\\| floored at machine epsilon as scikit-learn does).',
    labels: ['model', 'window'],
    unit: 'ratio',
    performance: 'mape',
  },
  mlmon_label_class_ratio: {
    section: 'performance',
    type: 'gauge',
    help: 'Share of each class among the labels in the window.',
    doc: "Share of each class among the window's labels (classification).",
    labels: ['model', 'window', 'class'],
    unit: 'ratio',
  },
  mlmon_performance_evaluated_total: {
    section: 'performance',
    type: 'counter',
    help: 'Predictions evaluated against their labels.',
    doc: "Predictions evaluated, since start: with the next two, any range's accuracy or error in PromQL (SLOs, burn rates).",
    labels: ['model'],
  },
  mlmon_performance_correct_total: {
    section: 'performance',
    type: 'counter',
    help: 'Correct predictions (classification).',
    labels: ['model'],
  },
  mlmon_performance_absolute_error_total: {
    section: 'performance',
    type: 'counter',
    help: 'Sum of absolute errors (regression).',
    labels: ['model'],
  },
  mlmon_performance_squared_error_total: {
    section: 'performance',
    type: 'counter',
    help: 'Sum of squared errors (regression).',
    labels: ['model'],
  },
  mlmon_labels_received_total: { section: 'performance', type: 'counter', help: 'Labels received.', labels: ['model'] },
  mlmon_labels_joined_total: {
    section: 'performance',
    type: 'counter',
    help: 'Labels joined to a waiting prediction.',
    doc: 'Labels joined to their prediction.',
    labels: ['model'],
  },
  mlmon_labels_unmatched_total: {
    section: 'performance',
    type: 'counter',
    help: 'Labels whose prediction id was not waiting.',
    doc: 'Labels whose prediction was not (or no longer) waiting.',
    labels: ['model'],
  },
  mlmon_labels_expired_total: {
    section: 'performance',
    type: 'counter',
    help: 'Predictions evicted from the join buffer before their label.',
    labels: ['model'],
  },
  mlmon_label_join_buffer_records: {
    section: 'performance',
    type: 'gauge',
    help: 'Predictions waiting for their label.',
    labels: ['model'],
  },
  mlmon_label_delay_seconds: {
    section: 'performance',
    type: 'histogram',
    help: 'Seconds from a prediction to its label.',
    doc: 'Seconds from a prediction to its label (buckets 1 s … 7 d).',
    labels: ['model'],
    unit: 'seconds',
  },

  // Data quality
  mlmon_feature_missing_ratio: {
    section: 'quality',
    type: 'gauge',
    help: 'Share of records in the window whose value is missing (absent, null, NaN or of the wrong type).',
    doc: "Share of the window's records whose value is missing: absent, null, NaN, or of the wrong type.",
    labels: ['model', 'feature', 'window'],
    unit: 'ratio',
    feature: { report: 'missing_ratio', when: 'always' },
    driftPanel: 7,
  },
  mlmon_feature_out_of_range_ratio: {
    section: 'quality',
    type: 'gauge',
    help: "Share of values outside the reference's [min, max] (numeric features).",
    doc: "Share of values outside the reference's [min, max], numeric features.",
    labels: ['model', 'feature', 'window'],
    unit: 'ratio',
    feature: { report: 'out_of_range_ratio', when: 'always' },
  },
  mlmon_feature_new_category_ratio: {
    section: 'quality',
    type: 'gauge',
    help: 'Share of values never seen in the reference (categorical features).',
    doc: 'Share of values never seen in the reference, categorical features (exact while the reference has ≤ `max_reference_categories` distinct values).',
    labels: ['model', 'feature', 'window'],
    unit: 'ratio',
    feature: { report: 'new_category_ratio', when: 'always' },
  },
  mlmon_schema_violations_total: {
    section: 'quality',
    type: 'counter',
    help: 'Values of the wrong type, treated as missing, by feature and reason.',
    doc: 'Values of the wrong type (`expected_number`, `expected_string`), counted as missing; the rest of the record is kept.',
    labels: ['model', 'feature', 'reason'],
  },
  mlmon_unknown_features_total: {
    section: 'quality',
    type: 'counter',
    help: 'Feature values whose name is not in the reference profile, ignored.',
    doc: 'Feature values whose name is not in the reference profile (ignored; the name is not a label).',
    labels: ['model'],
  },
  mlmon_records_rejected_total: {
    section: 'quality',
    type: 'counter',
    help: 'Records refused by the ingest API, by reason.',
    doc: 'Records refused by `POST /api/v1/records` (`invalid_json`, `too_deep`, `not_an_object`, `unknown_field`, `missing`, `expected_string`, `expected_object`, `too_many_features`, `expected_number_or_string`, `expected_number`, `invalid_timestamp`, `unknown_model`; past a `limits:` bound: `id_too_long`, `model_version_too_long`, `value_too_long`, `feature_name_too_long`; a whole request: `too_many_records` (413, counted before parsing), `too_many_concurrent_requests` (503)).',
    labels: ['reason'],
  },
  mlmon_records_late_total: {
    section: 'quality',
    type: 'counter',
    help: 'Records older than the longest window, dropped.',
    doc: "Records older than the model's longest window, dropped.",
    labels: ['model'],
  },
  mlmon_records_future_total: {
    section: 'quality',
    type: 'counter',
    help: 'Records timestamped beyond the future tolerance, counted at the current time.',
    doc: 'Records timestamped more than `ingest.future_tolerance` ahead, counted at the current time.',
    labels: ['model'],
  },
  mlmon_model_last_record_timestamp_seconds: {
    section: 'quality',
    type: 'gauge',
    help: 'Timestamp of the newest record counted.',
    labels: ['model'],
    unit: 'seconds',
  },
  mlmon_model_data_age_seconds: {
    section: 'quality',
    type: 'gauge',
    help: 'Age of the newest record counted (freshness).',
    labels: ['model'],
    unit: 'seconds',
  },

  // Health and identity
  mlmon_build_info: {
    section: 'health',
    type: 'info',
    help: 'mlmon build: version, revision and Node.js version.',
    doc: 'Always 1.',
    labels: ['version', 'revision', 'nodejs_version'],
  },
  mlmon_model_info: {
    section: 'health',
    type: 'info',
    help: 'Model known to the exporter, with the last model_version seen (or "unknown").',
    doc: 'Always 1; `model_version` is the last one seen in records, `unknown` before.',
    labels: ['model', 'model_version'],
  },
  mlmon_reference_info: {
    section: 'health',
    type: 'info',
    help: 'Reference profile in force, by content hash and kind. Bin counters restart when it changes.',
    doc: 'Always 1; the content hash of the reference profile and which reference each window is compared with: `kind` is `static` (the whole reference), `hour_of_week` or `hour_of_day` (the reference rows of the hours the window covers, with `reference.season`).',
    labels: ['model', 'reference_hash', 'kind'],
  },
  mlmon_feature_info: {
    section: 'health',
    type: 'info',
    help: 'Monitored feature and its type (numeric or categorical).',
    doc: 'Always 1; `type` is `numeric` or `categorical`.',
    labels: ['model', 'feature', 'type'],
  },
  mlmon_ready: {
    section: 'health',
    type: 'gauge',
    help: '1 once every reference profile is loaded.',
    doc: '1 once every reference is loaded (as `/-/ready`).',
    labels: [],
  },
  mlmon_event_loop_lag_seconds: {
    section: 'health',
    type: 'gauge',
    help: 'Event-loop delay of the exporter process, p99 since the previous scrape.',
    doc: 'Event-loop delay of the exporter process, p99 since the previous scrape (a stalled loop delays ingest and scrapes alike).',
    labels: [],
    unit: 'seconds',
  },
  mlmon_config_last_reload_successful: {
    section: 'health',
    type: 'gauge',
    help: '1 when the last config load or reload succeeded.',
    doc: '1 when the last config load or reload (SIGHUP, `POST /-/reload`) succeeded; after a failed one the running config stays.',
    labels: [],
  },
  mlmon_config_last_reload_success_timestamp_seconds: {
    section: 'health',
    type: 'gauge',
    help: 'When the config was last loaded successfully.',
    labels: [],
    unit: 'seconds',
  },
  mlmon_source_up: {
    section: 'health',
    type: 'gauge',
    help: '1 when the source last read or received records without error.',
    doc: '1 when the source (`http`, `demo`) last worked, else 0.',
    labels: ['source'],
  },
  mlmon_source_last_success_timestamp_seconds: {
    section: 'health',
    type: 'gauge',
    help: 'When the source last succeeded.',
    labels: ['source'],
    unit: 'seconds',
  },
  mlmon_source_read_duration_seconds: {
    section: 'health',
    type: 'gauge',
    help: "Duration of the source's last read.",
    doc: "Duration of the source's last read (for `http`, of the last accepted request's processing).",
    labels: ['source'],
    unit: 'seconds',
  },
  mlmon_source_records_read_total: {
    section: 'health',
    type: 'counter',
    help: 'Records read or received by the source.',
    labels: ['source'],
  },
  mlmon_source_errors_total: {
    section: 'health',
    type: 'counter',
    help: 'Errors of the source, by reason.',
    doc: 'Errors of the source, by reason (`connect`, `query`, `timeout`, `parse`, …; for `http`, requests that were refused as a whole: `status_400`, `status_413`, …).',
    labels: ['source', 'reason'],
  },
  mlmon_records_total: {
    section: 'health',
    type: 'counter',
    help: 'Records counted into the windows.',
    labels: ['model'],
  },
  mlmon_ingest_requests_total: {
    section: 'health',
    type: 'counter',
    help: 'Ingest requests answered, by HTTP status code.',
    doc: 'Ingest requests answered, by HTTP status.',
    labels: ['code'],
  },
  mlmon_ingest_rate_limited_total: {
    section: 'health',
    type: 'counter',
    help: 'Ingest requests refused with 429 by the per-client rate limit (ingest_rate_limit).',
    doc: 'Ingest requests refused with 429 by the per-client rate limit (`ingest_rate_limit` of `--web.config.file`); 0 without one.',
    labels: [],
  },
  mlmon_http_auth_failures_total: {
    section: 'health',
    type: 'counter',
    help: 'HTTP requests or TLS connections refused for missing or wrong credentials, by reason.',
    doc: 'Requests (401, or 429 for `throttled`) or TLS connections refused for credentials, by `reason`: `missing_credentials`, `wrong_scheme`, `invalid_credentials`, `client_certificate`, `throttled` (a client past `basic_auth_limits`: too many failures or checks waiting; no bcrypt). All five always present (0 without a web config). See `SECURITY.md`.',
    labels: ['reason'],
  },
  mlmon_http_connections_open: {
    section: 'health',
    type: 'gauge',
    help: 'Open HTTP connections.',
    labels: [],
  },
  mlmon_http_connections_max: {
    section: 'health',
    type: 'gauge',
    help: 'The cap on open HTTP connections (--web.max-connections).',
    doc: 'The cap on open connections (`--web.max-connections`).',
    labels: [],
  },
  mlmon_http_connections_evicted_total: {
    section: 'health',
    type: 'counter',
    help: 'Idle or half-open connections closed at the cap to make room for a new one.',
    labels: [],
  },
  mlmon_http_connections_refused_total: {
    section: 'health',
    type: 'counter',
    help: 'New connections closed at the cap, every open one busy.',
    doc: 'New connections closed at the cap because every open one had a request in progress.',
    labels: [],
  },
  mlmon_http_requests_shed_total: {
    section: 'health',
    type: 'counter',
    help: 'Requests other than /metrics answered 503 while requests in progress filled the connections not kept for /metrics.',
    doc: 'Requests other than `/metrics` answered 503 while requests in progress filled the connections not kept for `/metrics` (see `SECURITY.md`, "Limits on what clients send").',
    labels: [],
  },

  // Source: probe
  mlmon_probe_success: {
    section: 'probe',
    type: 'gauge',
    help: '1 when the last health probe of the model succeeded.',
    doc: '1 when the last health probe succeeded: a 2xx answer within the timeout (after at most one retry) that passes the response schema.',
    labels: ['source'],
  },
  mlmon_probe_duration_seconds: {
    section: 'probe',
    type: 'gauge',
    help: "Latency of the last health probe's final attempt, from sending to the whole answer read.",
    labels: ['source'],
    unit: 'seconds',
  },
  mlmon_probe_http_status_code: {
    section: 'probe',
    type: 'gauge',
    help: 'HTTP status of the last health probe (0 when no answer came).',
    doc: "HTTP status of the last health probe's final attempt; 0 when no answer came (timeout, connection error).",
    labels: ['source'],
  },
  mlmon_probe_requests_total: {
    section: 'probe',
    type: 'counter',
    help: 'Requests sent to the model (health probes, golden rows, retries), by result.',
    doc: 'HTTP attempts sent to the model (health probes, golden rows and retries) by `result`: `success`, `timeout`, `connection_error`, `http_error`, `schema_violation`.',
    labels: ['source', 'result'],
  },
  mlmon_probe_schema_violations_total: {
    section: 'probe',
    type: 'counter',
    help: 'Answers that broke the response schema, by reason.',
    doc: 'Answers that broke the response schema: `invalid_json`, `missing_field` (no `prediction_field`), `wrong_type` (not `prediction_type`).',
    labels: ['source', 'reason'],
  },
  mlmon_probe_golden_accuracy: {
    section: 'probe',
    type: 'gauge',
    help: 'Accuracy of the served model on the golden set (last complete pass).',
    doc: "Accuracy of the served model's answers on the golden set (classification), last complete pass.",
    labels: ['source', 'model'],
  },
  mlmon_probe_golden_f1: {
    section: 'probe',
    type: 'gauge',
    help: 'F1 on the golden set (macro, or of positive_class), last complete pass.',
    doc: 'F1 on the golden set: of `positive_class` when set, else the macro average over the classes seen (labels and answers).',
    labels: ['source', 'model'],
  },
  mlmon_probe_golden_rmse: {
    section: 'probe',
    type: 'gauge',
    help: 'RMSE on the golden set (regression), last complete pass.',
    doc: 'Root mean squared error on the golden set (regression), last complete pass.',
    labels: ['source', 'model'],
  },
  mlmon_probe_golden_mae: {
    section: 'probe',
    type: 'gauge',
    help: 'MAE on the golden set (regression), last complete pass.',
    doc: 'Mean absolute error on the golden set (regression), last complete pass.',
    labels: ['source', 'model'],
  },
  mlmon_probe_golden_mape_ratio: {
    section: 'probe',
    type: 'gauge',
    help: 'MAPE as a ratio on the golden set (regression), last complete pass.',
    doc: 'Mean absolute percentage error as a ratio on the golden set (regression; \\|y\\| floored at machine epsilon as scikit-learn does).',
    labels: ['source', 'model'],
    unit: 'ratio',
  },
  mlmon_probe_golden_samples: {
    section: 'probe',
    type: 'gauge',
    help: 'Golden rows with a usable answer in the last complete pass.',
    doc: 'Golden rows with a usable answer in the last complete pass (the metrics above are over these).',
    labels: ['source', 'model'],
  },
  mlmon_probe_golden_errors: {
    section: 'probe',
    type: 'gauge',
    help: 'Golden rows without a usable answer in the last complete pass.',
    doc: 'Golden rows without a usable answer in the last complete pass (failed request, schema violation, or a prediction unusable for the task).',
    labels: ['source', 'model'],
  },
  mlmon_probe_golden_passes_total: {
    section: 'probe',
    type: 'counter',
    help: 'Complete passes over the golden set.',
    doc: 'Complete passes over the golden set since start.',
    labels: ['source', 'model'],
  },
  mlmon_probe_golden_last_pass_timestamp_seconds: {
    section: 'probe',
    type: 'gauge',
    help: 'When the last complete pass over the golden set finished.',
    labels: ['source', 'model'],
    unit: 'seconds',
  },

  // Source: prometheus
  mlmon_buckets_ks_statistic: {
    section: 'prometheus',
    type: 'gauge',
    help: 'Binned two-sample KS statistic D of the queried histogram against its reference.',
    doc: 'Binned two-sample KS statistic D: the largest gap between the two ECDFs at the shared `le` values (a lower bound of the raw-sample D).',
    labels: ['source', 'model', 'window'],
  },
  mlmon_buckets_ks_statistic_error_bound: {
    section: 'prometheus',
    type: 'gauge',
    help: 'How far the raw-sample KS D can exceed the binned D (the largest bin share).',
    doc: 'How far the raw-sample D can exceed the binned D: the largest single-bucket share on either side.',
    labels: ['source', 'model', 'window'],
  },
  mlmon_buckets_ks_pvalue: {
    section: 'prometheus',
    type: 'gauge',
    help: 'Two-sample KS p-value of the binned D (sample sizes rounded).',
    doc: 'Two-sample KS p-value of the binned D (scipy `ks_2samp` logic, sample sizes rounded to integers).',
    labels: ['source', 'model', 'window'],
  },
  mlmon_buckets_psi: {
    section: 'prometheus',
    type: 'gauge',
    help: 'PSI of the queried histogram against its reference, on their shared buckets.',
    doc: 'PSI of the histogram against its reference on the shared buckets (empty shares replaced by 1e-4).',
    labels: ['source', 'model', 'window'],
  },
  mlmon_buckets_jensen_shannon_distance: {
    section: 'prometheus',
    type: 'gauge',
    help: 'Jensen-Shannon distance (base 2) of the histogram against its reference.',
    doc: 'Jensen-Shannon distance, base 2, on the shared buckets.',
    labels: ['source', 'model', 'window'],
  },
  mlmon_buckets_chi2_pvalue: {
    section: 'prometheus',
    type: 'gauge',
    help: 'Chi-squared homogeneity p-value of the histogram against its reference.',
    doc: 'Chi-squared homogeneity p-value of the 2 × K table of bucket counts.',
    labels: ['source', 'model', 'window'],
  },
  mlmon_buckets_samples: {
    section: 'prometheus',
    type: 'gauge',
    help: 'Observations in the queried histogram over the window (+Inf bucket).',
    doc: 'Observations in the current histogram over the window (its `+Inf` bucket; fractional, as `increase()` extrapolates).',
    labels: ['source', 'model', 'window'],
  },
  mlmon_buckets_reference_samples: {
    section: 'prometheus',
    type: 'gauge',
    help: 'Observations in the reference histogram (+Inf bucket).',
    doc: 'Observations in the reference histogram (its `+Inf` bucket).',
    labels: ['source', 'model', 'window'],
  },
  mlmon_buckets_compared: {
    section: 'prometheus',
    type: 'gauge',
    help: 'Buckets compared: the le values shared by the histogram and its reference.',
    doc: 'Buckets compared: the number of `le` values shared by the histogram and its reference.',
    labels: ['source', 'model', 'window'],
  },

  // Source: snapshots
  mlmon_snapshot_last_success_timestamp_seconds: {
    section: 'snapshots',
    type: 'gauge',
    help: 'When the window state was last written to --storage.path (0 before the first snapshot).',
    doc: 'When the window state was last written (0 before the first snapshot). Alert on `time() - mlmon_snapshot_last_success_timestamp_seconds` well above the snapshot interval.',
    labels: [],
    unit: 'seconds',
  },
  mlmon_snapshot_duration_seconds: {
    section: 'snapshots',
    type: 'gauge',
    help: 'Duration of the last snapshot attempt.',
    doc: 'Duration of the last snapshot attempt (capture, checksum, write, fsync, rename).',
    labels: [],
    unit: 'seconds',
  },
  mlmon_snapshot_size_bytes: {
    section: 'snapshots',
    type: 'gauge',
    help: 'Size of the last snapshot written.',
    labels: [],
    unit: 'bytes',
  },
  mlmon_snapshot_failures_total: {
    section: 'snapshots',
    type: 'counter',
    help: 'Snapshots that could not be written.',
    doc: 'Snapshots that could not be written: `no_space` (ENOSPC, EDQUOT), `not_writable` (EACCES, EROFS, a file or folder in the way), `io` (anything else).',
    labels: ['reason'],
  },
  mlmon_snapshot_restore_failures_total: {
    section: 'snapshots',
    type: 'counter',
    help: 'Snapshot contents that could not be restored at start, by reason.',
    doc: "Snapshot contents not restored at start (the models concerned start empty): `truncated`, `corrupt` (checksum, magic or header), `version` (a format version this exporter cannot read, another byte order, a format-1 snapshot whose model was counted on another profile layout, or a format-2 snapshot, which kept neither estimation sums nor segments: those start empty), `foreign` (written for another reference hash), `definition` (the model's config changed, its segment settings aside), `layout` (rings of another shape), `calibration` (the estimation sums were counted on another calibration map: they start empty), `segments` (a segment column's values or their reference profiles changed, e.g. another `segments` or `segment_values`: that column's segments start empty), `io` (unreadable). A missing snapshot is no failure.",
    labels: ['reason'],
  },
  mlmon_snapshot_restored: {
    section: 'snapshots',
    type: 'gauge',
    help: "1 when the model's windows were restored from the snapshot at start, else 0.",
    labels: ['model'],
  },
  // Label-free performance estimation (CBPE), per model and window
  ...ESTIMATION_CATALOG,
} as const satisfies Record<string, FamilySpec>;

export type FamilyName = keyof typeof CATALOG;

export const FAMILY_NAMES = Object.keys(CATALOG) as FamilyName[];

export function familySpec(name: FamilyName): FamilySpec {
  return CATALOG[name];
}

/** The families of one kind, in catalog order, e.g. every per-feature statistic. */
export function familiesWhere(test: (spec: FamilySpec) => boolean): [FamilyName, FamilySpec][] {
  return FAMILY_NAMES.map((name) => [name, CATALOG[name] as FamilySpec] as [FamilyName, FamilySpec]).filter(
    ([, spec]) => test(spec),
  );
}
