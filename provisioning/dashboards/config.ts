// The selectors and thresholds the dashboards and the Prometheus rules (rules/alerts.yml) share.
// The rules stay plain YAML for promtool and operators; provisioning/test/static.test.ts checks
// that they use these same values, so a threshold changed here and not there fails a test.

/** Prometheus jobs scraping mlmon-exporter: the rules find exporters by this job-name regex. */
export const EXPORTER_JOB_REGEX = '.*mlmon-exporter.*';

/** Drift and data-quality thresholds (the exporter's defaults; the rules alert on the same values). */
export const THRESHOLDS = {
  /** PSI from which a feature is worth a look (the exporter's `investigate` status). */
  psiInvestigate: 0.1,
  /** PSI from which a feature, or the prediction distribution, counts as drifted. */
  psiDrift: 0.2,
  /** PSI of the critical drift alert. */
  psiCritical: 0.5,
  /** Share of a model's features that drifted from which the dataset counts as drifted. */
  driftedFeaturesRatio: 0.3,
  /** Share of missing values of a feature that raises an alert. */
  missingRatio: 0.1,
  /** Seconds since the last record: yellow, then red on the overview's data-age panel. */
  dataAgeWarningSeconds: 300,
  dataAgeCriticalSeconds: 900,
} as const;

/** The error budget behind the burn-rate panel and rules: an objective of 95 % correct. */
export const ERROR_BUDGET = 0.05;

/** Template-variable names; the data links and the tests use them too. */
export const VAR = {
  datasource: 'datasource',
  job: 'job',
  namespace: 'namespace',
  instance: 'instance',
  model: 'model',
  window: 'window',
  feature: 'feature',
  segment: 'segment',
  segmentValue: 'segment_value',
} as const;

/** Matchers of one exporter target (the chain datasource → job → namespace → instance). */
export const TARGET = `job=~"$${VAR.job}", instance=~"$${VAR.instance}"`;
/** One model of that target. */
export const MODEL = `${TARGET}, model="$${VAR.model}"`;
/** One model and window of that target. */
export const MODEL_WINDOW = `${MODEL}, window="$${VAR.window}"`;
/**
 * One segment of a model with `segments` (the exporter's segment and segment_value labels), or
 * with both variables at All (`(?:)`, the empty match) the whole model's series, which have no
 * segment label. On the drift, data-quality and performance families, which the exporter writes per
 * segment.
 */
export const SEGMENT = `segment=~"$${VAR.segment}", segment_value=~"$${VAR.segmentValue}"`;
export const MODEL_SEGMENT = `${MODEL}, ${SEGMENT}`;
export const MODEL_WINDOW_SEGMENT = `${MODEL_WINDOW}, ${SEGMENT}`;
/** A segment variable's All: the regex that matches only the empty (absent) label. */
export const WHOLE_MODEL = '(?:)';
/**
 * The model server's own metrics (another scrape job, `model` target label) and the fleet
 * recording rules: every replica of the model, aggregated, so no job or instance matcher.
 */
export const FLEET = `model="$${VAR.model}"`;
