// Frames shaped as Grafana's Prometheus datasource returns them, for tests, the host page and the
// benchmark. Not part of the plugin bundle (module.ts never imports it).
import { FieldType, toDataFrame, type DataFrame } from '@grafana/data';

export type Labels = Record<string, string>;

/** One frame per series, labels (with `__name__`) on the value field: Grafana's time-series format. */
export function seriesFrame(metric: string, labels: Labels, times: number[], values: number[], refId = 'A'): DataFrame {
  return toDataFrame({
    refId,
    meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
    fields: [
      {
        name: 'Time',
        type: FieldType.time,
        values: times,
        config: { interval: times.length > 1 ? times[1] - times[0] : 15000 },
      },
      { name: 'Value', type: FieldType.number, values, labels: { __name__: metric, ...labels }, config: {} },
    ],
  });
}

/** Grafana's table format: one frame, one row per series and time, labels as string columns. */
export function tableFrame(rows: Array<{ metric: string; labels: Labels; time: number; value: number }>, refId = 'A') {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.labels)))].sort();
  return toDataFrame({
    refId,
    meta: { type: 'numeric-long' },
    fields: [
      { name: 'Time', type: FieldType.time, values: rows.map((r) => r.time) },
      { name: '__name__', type: FieldType.string, values: rows.map((r) => r.metric) },
      ...names.map((n) => ({ name: n, type: FieldType.string, values: rows.map((r) => r.labels[n] ?? '') })),
      { name: `Value #${refId}`, type: FieldType.number, values: rows.map((r) => r.value) },
    ],
  });
}

/** Prometheus `query_range` matrix result → frames, as Grafana's Prometheus datasource builds them. */
export function matrixToFrames(
  result: Array<{ metric: Labels; values: Array<[number, string]> }>,
  refId = 'A',
): DataFrame[] {
  return result.map((r) => {
    const { __name__, ...labels } = r.metric;
    return seriesFrame(
      __name__ ?? refId,
      labels,
      r.values.map(([t]) => Math.round(t * 1000)),
      r.values.map(([, v]) => Number(v)),
      refId,
    );
  });
}

export interface SyntheticOptions {
  model?: string;
  window?: string;
  features: number;
  steps: number;
  /** Indices of features that drift in the second half of the range. */
  drifted?: number[];
  /** Indices of features whose statistics sit between the investigate and drift limits. */
  investigate?: number[];
  /** Indices of features with too few samples (no statistics, status insufficient_data). */
  insufficient?: number[];
  start?: number;
  stepMs?: number;
  withBins?: boolean;
  /** The drift cause: each judged feature's drift score, and the top 3 bin contributions of drifted ones. */
  withCause?: boolean;
}

/** Demo-like frames: PSI/KS/JS/Wasserstein/samples/status per feature and time step, and bin ratios. */
export function syntheticFrames(o: SyntheticOptions): DataFrame[] {
  const model = o.model ?? 'demo-credit';
  const window = o.window ?? '5m';
  const start = o.start ?? 1_700_000_000_000;
  const stepMs = o.stepMs ?? 15_000;
  const times = Array.from({ length: o.steps }, (_, i) => start + i * stepMs);
  const frames: DataFrame[] = [];
  const drifted = new Set(o.drifted ?? []);
  const insufficient = new Set(o.insufficient ?? []);
  const investigate = new Set(o.investigate ?? []);
  for (let f = 0; f < o.features; f++) {
    const feature = `feature_${String(f).padStart(3, '0')}`;
    const labels = { model, feature, window };
    frames.push(
      seriesFrame(
        'mlmon_feature_info',
        { model, feature, type: f % 5 === 4 ? 'categorical' : 'numeric' },
        [times[times.length - 1]],
        [1],
      ),
    );
    const samples = times.map(() => (insufficient.has(f) ? 200 : 5000));
    frames.push(seriesFrame('mlmon_feature_samples', labels, times, samples));
    if (!insufficient.has(f)) {
      // Stable features wobble around PSI 0.002–0.011; drifting ones jump past 0.35 halfway through,
      // investigated ones sit at 0.12–0.16. The other statistics follow PSI as they roughly do on
      // real data (JS distance ≈ √(PSI / 8)); categorical features have chi-squared, not KS/Wasserstein.
      const psi = times.map((_, i) => {
        const base = 0.002 + ((f * 7 + i) % 10) * 0.001;
        if (drifted.has(f) && i >= o.steps / 2) return 0.35 + (i / o.steps) * 0.3;
        return investigate.has(f) ? 0.12 + ((f + i) % 5) * 0.01 : base;
      });
      const categorical = f % 5 === 4;
      const add = (metric: string, values: number[]) => frames.push(seriesFrame(metric, labels, times, values));
      add('mlmon_feature_psi', psi);
      // Every judged feature's part of an unweighted score: its PSI over 0.2, over the judged features.
      const judged = o.features - insufficient.size;
      if (o.withCause)
        add(
          'mlmon_feature_drift_score',
          psi.map((v) => v / 0.2 / judged),
        );
      add(
        'mlmon_feature_jensen_shannon_distance',
        psi.map((v) => Math.sqrt(v / 8)),
      );
      add(
        'mlmon_feature_missing_ratio',
        times.map(() => 0.01 + (f % 3) * 0.0005),
      );
      if (categorical) {
        add(
          'mlmon_feature_chi2_pvalue',
          psi.map((v) => (v > 0.2 ? 0 : v > 0.1 ? 3.2e-5 : 0.41)),
        );
      } else {
        add(
          'mlmon_feature_ks_statistic',
          psi.map((v) => Math.min(1, Math.sqrt(v) / 3)),
        );
        // 0 where the test's p-value underflows, as scipy returns it for large shifted samples.
        add(
          'mlmon_feature_ks_pvalue',
          psi.map((v) => (v > 0.2 ? 0 : v > 0.1 ? 1.2e-7 : 0.4)),
        );
        add(
          'mlmon_feature_wasserstein',
          psi.map((v) => Math.sqrt(v) * 4),
        );
        add(
          'mlmon_feature_wasserstein_normalized',
          psi.map((v) => Math.sqrt(v) / 3),
        );
      }
    }
    const statusAt = (i: number) =>
      insufficient.has(f)
        ? 'insufficient_data'
        : drifted.has(f) && i >= o.steps / 2
          ? 'drift'
          : investigate.has(f)
            ? 'investigate'
            : 'stable';
    for (const word of ['stable', 'investigate', 'drift', 'insufficient_data']) {
      const vals = times.map((_, i) => (statusAt(i) === word ? 1 : 0));
      if (vals.some((v) => v === 1) || word !== 'investigate') {
        frames.push(seriesFrame('mlmon_feature_status', { ...labels, status: word }, times, vals));
      }
    }
    if (o.withBins) {
      for (let b = 0; b < 10; b++) {
        const bin = String(b);
        const range = b === 0 ? '(-Inf, 0)' : b === 9 ? '[8, +Inf)' : `[${b - 1}, ${b})`;
        frames.push(
          seriesFrame(
            'mlmon_feature_reference_bin_ratio',
            { model, feature, bin, range },
            times,
            times.map(() => 0.1),
          ),
        );
        const cur = times.map((_, i) => (drifted.has(f) && i >= o.steps / 2 ? (b >= 7 ? 0.25 : 0.25 / 7) : 0.1));
        frames.push(seriesFrame('mlmon_feature_bin_ratio', { model, feature, window, bin, range }, times, cur));
        // The exporter's top 3 of a drifted feature: bins 7–9 gained most, (c − r)·ln(c / r) of PSI.
        const late = times.filter((_, i) => i >= o.steps / 2);
        if (o.withCause && drifted.has(f) && b >= 7 && late.length > 0) {
          const term = (0.25 - 0.1) * Math.log(0.25 / 0.1);
          frames.push(
            seriesFrame(
              'mlmon_feature_drift_bin_contribution',
              { model, feature, window, bin, range },
              late,
              late.map(() => term),
            ),
          );
        }
      }
    }
  }
  return frames;
}
