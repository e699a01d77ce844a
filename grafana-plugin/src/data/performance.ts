import { lastValue, type Series } from './series';

/** Metrics mlmon-exporter estimates without labels (CBPE), in the order the panel shows them. */
export const ESTIMATED_METRICS = ['accuracy', 'f1', 'precision', 'recall', 'auroc'] as const;
export type EstimatedMetric = (typeof ESTIMATED_METRICS)[number];

export interface PerformanceEstimate {
  metric: EstimatedMetric;
  estimated: number;
  lower: number;
  upper: number;
  /** The realised value from labels (`mlmon_performance_<metric>`), when labels arrived. */
  realised?: number;
}

/**
 * The latest label-free estimate of each metric beside its realised value, for one model and
 * window (undefined: the first the series name). Metrics without an estimate are left out.
 */
export function performanceEstimates(
  series: Series[],
  model: string | undefined,
  window: string | undefined,
): PerformanceEstimate[] {
  const scoped = series.filter(
    (s) => (model === undefined || s.labels.model === model) && (window === undefined || s.labels.window === window),
  );
  const latest = (metric: string): number | undefined => {
    const found = scoped.find((s) => s.metric === metric);
    const value = found ? lastValue(found) : NaN;
    return Number.isFinite(value) ? value : undefined;
  };
  const out: PerformanceEstimate[] = [];
  for (const metric of ESTIMATED_METRICS) {
    const estimated = latest(`mlmon_performance_estimated_${metric}`);
    if (estimated === undefined) continue;
    out.push({
      metric,
      estimated,
      lower: latest(`mlmon_performance_estimated_${metric}_lower`) ?? NaN,
      upper: latest(`mlmon_performance_estimated_${metric}_upper`) ?? NaN,
      realised: latest(`mlmon_performance_${metric}`),
    });
  }
  return out;
}

const LABEL: Record<EstimatedMetric, string> = {
  accuracy: 'accuracy',
  f1: 'F1',
  precision: 'precision',
  recall: 'recall',
  auroc: 'AUROC',
};

/** "accuracy est. 0.812 (0.801–0.823), realised 0.790 ✗": ✓ inside the band, ✗ outside. */
export function formatEstimate(e: PerformanceEstimate): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
  const band = Number.isFinite(e.lower) && Number.isFinite(e.upper) ? ` (${f(e.lower)}–${f(e.upper)})` : '';
  const head = `${LABEL[e.metric]} est. ${f(e.estimated)}${band}`;
  if (e.realised === undefined) return `${head}, no labels yet`;
  const inside = e.realised >= e.lower && e.realised <= e.upper;
  return `${head}, realised ${f(e.realised)} ${inside ? '✓' : '✗'}`;
}
