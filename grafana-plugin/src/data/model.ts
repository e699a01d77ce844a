import { levelOf } from './colors';
import {
  AUTO_ALL_UP_TO,
  AUTO_TOP_N,
  DEFAULT_THRESHOLDS,
  type DriftOptions,
  type FeatureStatus,
  type Statistic,
} from '../types';
import { SCORE_SUFFIX, topFeatures } from './cause';
import { lastValue, type Series } from './series';

export const METRIC_PREFIX = 'mlmon_feature_';

/** The per-feature statistics the table shows, by metric suffix. */
export const TABLE_STATS = [
  'psi',
  'ks_statistic',
  'ks_pvalue',
  'wasserstein',
  'wasserstein_normalized',
  'jensen_shannon_distance',
  'chi2_pvalue',
  'missing_ratio',
  'samples',
] as const;
export type TableStat = (typeof TABLE_STATS)[number];

export interface FeatureRow {
  name: string;
  type: 'numeric' | 'categorical' | 'unknown';
  /** Latest status: the exporter's own (`mlmon_feature_status`), or derived from PSI when that is not queried. */
  status: FeatureStatus | undefined;
  /** Latest value of each statistic (NaN when absent). */
  stats: Record<TableStat, number>;
  /** The chosen statistic aligned to the model's time axis (NaN where absent). */
  values: Float64Array;
  /** 1 where the window had too little data for statistics. */
  insufficient: Uint8Array;
  /** Samples aligned to the time axis (NaN where absent). */
  samples: Float64Array;
  current: number;
  max: number;
  /** Latest part of the model's drift score (`mlmon_feature_drift_score`; NaN when absent or not judged). */
  score: number;
  /** 1–3 for the drifted features with the largest drift scores (what the alerts name), else 0. */
  rank: number;
}

export interface DriftModel {
  model: string | undefined;
  window: string | undefined;
  models: string[];
  windows: string[];
  statistic: Statistic;
  times: number[];
  features: FeatureRow[];
  /** Metrics the panel looked for and did not find (for the empty state). */
  missing: string[];
}

/** A variable that did not resolve, or "All": no filter. */
export function effectiveSelection(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '' || v.startsWith('$') || v === 'All' || v === '$__all' || v === '*' || v === '.*') return undefined;
  return v;
}

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
/** Prometheus duration → seconds (NaN when it is not one). */
export function durationSeconds(d: string): number {
  const parts = [...d.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== d) return NaN;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
}

function byDuration(a: string, b: string): number {
  const da = durationSeconds(a);
  const db = durationSeconds(b);
  if (Number.isFinite(da) && Number.isFinite(db) && da !== db) return da - db;
  return a.localeCompare(b);
}

/** Status from PSI when the status metric is not in the data. */
export function statusFromPsi(psi: number, limits = DEFAULT_THRESHOLDS.psi): FeatureStatus | undefined {
  if (!Number.isFinite(psi)) return undefined;
  return levelOf(psi, limits);
}

export function buildDriftModel(series: Series[], options: DriftOptions): DriftModel {
  const { modelLabel, featureLabel, windowLabel, statistic } = options;
  const featureSeries = series.filter(
    (s) => s.metric.startsWith(METRIC_PREFIX) && s.labels[featureLabel] !== undefined,
  );
  const models = [...new Set(featureSeries.map((s) => s.labels[modelLabel]).filter((m) => m !== undefined))].sort();
  const wantedModel = effectiveSelection(options.model);
  const model = wantedModel ?? models[0];
  const ofModel = featureSeries.filter((s) => model === undefined || s.labels[modelLabel] === model);
  const windows = [...new Set(ofModel.map((s) => s.labels[windowLabel]).filter((w) => w !== undefined))].sort(
    byDuration,
  );
  const window = effectiveSelection(options.window) ?? windows[0];
  const inWindow = (s: Series) =>
    s.labels[windowLabel] === undefined || window === undefined || s.labels[windowLabel] === window;
  const relevant = ofModel.filter(inWindow);

  const statMetric = METRIC_PREFIX + statistic;
  const axisMetrics = new Set([statMetric, METRIC_PREFIX + 'samples', METRIC_PREFIX + 'status']);
  const timeSet = new Set<number>();
  for (const s of relevant) if (axisMetrics.has(s.metric)) for (const t of s.times) timeSet.add(t);
  const times = [...timeSet].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));

  interface Acc {
    name: string;
    type: FeatureRow['type'];
    bySuffix: Map<string, Series>;
    status: Series[];
  }
  const features = new Map<string, Acc>();
  const acc = (name: string): Acc => {
    let a = features.get(name);
    if (!a) {
      a = { name, type: 'unknown', bySuffix: new Map(), status: [] };
      features.set(name, a);
    }
    return a;
  };
  for (const s of relevant) {
    const name = s.labels[featureLabel];
    const suffix = s.metric.slice(METRIC_PREFIX.length);
    if (suffix === 'info') {
      const type = s.labels['type'];
      acc(name).type = type === 'numeric' || type === 'categorical' ? type : 'unknown';
    } else if (suffix === 'status') {
      acc(name).status.push(s);
    } else if ((TABLE_STATS as readonly string[]).includes(suffix) || suffix === statistic || suffix === SCORE_SUFFIX) {
      acc(name).bySuffix.set(suffix, s);
    }
  }

  const rows: FeatureRow[] = [];
  for (const a of features.values()) {
    if (a.bySuffix.size === 0 && a.status.length === 0) continue; // only info / bins: not a row
    const n = times.length;
    const values = new Float64Array(n).fill(NaN);
    const samples = new Float64Array(n).fill(NaN);
    const insufficient = new Uint8Array(n);
    const fill = (s: Series | undefined, into: Float64Array) => {
      if (!s) return;
      for (let i = 0; i < s.times.length; i++) {
        const at = index.get(s.times[i]);
        if (at !== undefined) into[at] = s.values[i];
      }
    };
    fill(a.bySuffix.get(statistic), values);
    fill(a.bySuffix.get('samples'), samples);
    let latestStatusTime = -Infinity;
    let status: FeatureStatus | undefined;
    for (const s of a.status) {
      const word = s.labels['status'] as FeatureStatus;
      for (let i = 0; i < s.times.length; i++) {
        if (s.values[i] !== 1) continue;
        const at = index.get(s.times[i]);
        if (word === 'insufficient_data' && at !== undefined) insufficient[at] = 1;
        if (s.times[i] >= latestStatusTime) {
          latestStatusTime = s.times[i];
          status = word;
        }
      }
    }
    // Without the status metric: samples present but no statistic means too little data.
    for (let i = 0; i < n; i++) if (Number.isNaN(values[i]) && Number.isFinite(samples[i])) insufficient[i] = 1;
    const stats = Object.fromEntries(TABLE_STATS.map((k) => [k, lastValue(a.bySuffix.get(k))])) as Record<
      TableStat,
      number
    >;
    if (a.status.length === 0) {
      const lastSamplesOnly = n > 0 && insufficient[n - 1] === 1;
      status = lastSamplesOnly ? 'insufficient_data' : statusFromPsi(stats.psi, options.thresholds?.psi);
    }
    let max = NaN;
    for (const v of values) if (Number.isFinite(v) && !(v <= max)) max = v;
    // A feature whose latest status is insufficient_data has no current value, whatever came before.
    const current = status === 'insufficient_data' ? NaN : lastValue(a.bySuffix.get(statistic));
    const score = status === 'insufficient_data' ? NaN : lastValue(a.bySuffix.get(SCORE_SUFFIX));
    rows.push({
      name: a.name,
      type: a.type,
      status,
      stats,
      values,
      samples,
      insufficient,
      current,
      max,
      score,
      rank: 0,
    });
  }
  const ranks = topFeatures(rows);
  for (const row of rows) row.rank = ranks.get(row.name) ?? 0;

  const missing: string[] = [];
  if (!relevant.some((s) => s.metric === statMetric)) missing.push(statMetric);
  return { model, window, models, windows, statistic, times, features: sortRows(rows, options), missing };
}

const STATUS_RANK: Record<FeatureStatus, number> = { drift: 3, investigate: 2, stable: 1, insufficient_data: 0 };

/**
 * Worst first (status, then the drift score when the exporter has one, then the current value,
 * then the maximum), by name, or by the maximum over the range. Features without enough data sort
 * last: they are not judged.
 */
export function sortRows(rows: FeatureRow[], options: Pick<DriftOptions, 'sort'>): FeatureRow[] {
  const desc = (a: number, b: number) => {
    const fa = Number.isFinite(a);
    const fb = Number.isFinite(b);
    if (fa !== fb) return fa ? -1 : 1;
    return fa && fb ? b - a : 0;
  };
  const rank = (r: FeatureRow) => (r.status ? STATUS_RANK[r.status] : -1);
  return [...rows].sort((a, b) => {
    if (options.sort === 'name') return a.name.localeCompare(b.name);
    const primary =
      options.sort === 'max'
        ? desc(a.max, b.max)
        : rank(b) - rank(a) || desc(a.score, b.score) || desc(a.current, b.current) || desc(a.max, b.max);
    return primary || a.name.localeCompare(b.name);
  });
}

/** How many rows the heatmap shows: `topN` when set, else all up to AUTO_ALL_UP_TO, else AUTO_TOP_N. */
export function rowLimit(total: number, topN: number): number {
  if (topN > 0) return Math.min(total, Math.floor(topN));
  return total <= AUTO_ALL_UP_TO ? total : Math.min(total, AUTO_TOP_N);
}

export interface DriftSummary {
  drift: number;
  investigate: number;
  stable: number;
  /** Too little data, or no status and no statistic: not judged. */
  unjudged: number;
  judged: number;
}

/** Counts by status; a feature without enough data is never counted as judged. */
export function summarize(rows: FeatureRow[]): DriftSummary {
  const s: DriftSummary = { drift: 0, investigate: 0, stable: 0, unjudged: 0, judged: 0 };
  for (const r of rows) {
    if (r.status === undefined || r.status === 'insufficient_data') s.unjudged++;
    else {
      s[r.status]++;
      s.judged++;
    }
  }
  return s;
}
