// Prometheus histograms to bin counts, and the statistics PromQL cannot give on them.
//
// Prometheus buckets are CUMULATIVE and UPPER-INCLUSIVE: the series `x_bucket{le="0.5"}` counts the
// observations x ≤ 0.5, and `le="+Inf"` counts them all. Differencing neighbouring buckets gives
// the bins (-inf, le1], (le1, le2], …, (le_{k-1}, +inf) — closed on the RIGHT, whereas mlmon's own
// feature bins are [e_{i-1}, e_i), closed on the LEFT (numpy.digitize). A value equal to an edge
// lands in different bins under the two conventions, so these bins are never mixed with a
// profile's bins: the reference histogram must be a Prometheus histogram too (fixed cumulative
// counts, or the same series at an offset).
//
// Two consequences used below:
// - Coarsening a cumulative histogram is just dropping `le` values, so a reference and a current
//   histogram with different bucket layouts are compared on the `le` values they share.
// - The binned KS statistic D = max over the shared le of |Fref(le) - Fcur(le)| with F(le) =
//   C(le) / C(+Inf) (the right-continuous ECDF, x ≤ le) — the same D as ksFromBins() on the
//   differenced counts, whose "edge" between two bins is le here. The raw-sample D lies in
//   [D, D + errorBound] (see ks-binned.ts).
import { chi2Homogeneity, jensenShannonDistance, ksFromBins, ksPValue, psi } from '../../stats/index.ts';

/** Cumulative counts by numeric upper bound (`+Inf` is Infinity). */
export type Cumulative = Map<number, number>;

export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** `le` label text to its bound: "+Inf" and float spellings ("1", "1.0", "1e0") alike. */
export function parseLe(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '+Inf' || trimmed === 'Inf' || trimmed === '+inf') return Infinity;
  if (trimmed === '') return NaN;
  return Number(trimmed);
}

/**
 * An instant-vector result of `sum by (le) (…)` to cumulative counts. Series whose `le` spells the
 * same number differently (Prometheus 2 keeps the exposed text: "1" and "1.0" are two series) are
 * added together. Series without a valid `le`, or with a NaN value, are an error.
 */
export function cumulativeFromVector(samples: VectorSample[]): Cumulative {
  const out: Cumulative = new Map();
  for (const sample of samples) {
    const le = parseLe(sample.metric.le ?? '');
    if (Number.isNaN(le))
      throw new HistogramError('invalid_le', `series without a numeric le: ${JSON.stringify(sample.metric)}`);
    const value = Number(sample.value[1]);
    if (!Number.isFinite(value))
      throw new HistogramError('invalid_value', `le="${sample.metric.le}" has value ${sample.value[1]}`);
    out.set(le, (out.get(le) ?? 0) + value);
  }
  return out;
}

export function cumulativeFromBuckets(buckets: { le: number | '+Inf'; count: number }[]): Cumulative {
  return new Map(buckets.map((b) => [b.le === '+Inf' ? Infinity : b.le, b.count]));
}

export interface AlignedBins {
  /** Upper bounds of the bins compared, ascending, the last +Inf. */
  upperBounds: number[];
  ref: Float64Array;
  cur: Float64Array;
}

/**
 * Per-bin counts of both histograms on the `le` values they share. A cumulative sequence that
 * decreases (increase() extrapolates each series on its own, and a counter reset can hit one
 * bucket series before another) is made monotone with a running maximum, so no bin is negative.
 * Both sides need the +Inf bucket (the total); otherwise a HistogramError.
 */
export function alignHistograms(ref: Cumulative, cur: Cumulative): AlignedBins {
  if (!ref.has(Infinity)) throw new HistogramError('no_inf_bucket', 'the reference histogram has no le="+Inf" bucket');
  if (!cur.has(Infinity)) throw new HistogramError('no_inf_bucket', 'the current histogram has no le="+Inf" bucket');
  const upperBounds = [...ref.keys()].filter((le) => cur.has(le)).sort((a, b) => a - b);
  return { upperBounds, ref: differences(ref, upperBounds), cur: differences(cur, upperBounds) };
}

function differences(cumulative: Cumulative, upperBounds: number[]): Float64Array {
  const bins = new Float64Array(upperBounds.length);
  let previous = 0;
  for (let i = 0; i < upperBounds.length; i++) {
    const c = Math.max(previous, cumulative.get(upperBounds[i])!);
    bins[i] = c - previous;
    previous = c;
  }
  return bins;
}

export interface HistogramStatistics {
  /** Observations in the reference and current histograms (the +Inf bucket). */
  referenceSamples: number;
  samples: number;
  bins: number;
  ksStatistic: number;
  ksErrorBound: number;
  ksPValue: number;
  psi: number;
  jensenShannon: number;
  chi2PValue: number;
}

/**
 * KS D and p-value, PSI, Jensen-Shannon distance and chi-squared p-value of two aligned
 * histograms. increase() yields fractional counts: the shares use them as they are, and the
 * sample sizes of the KS p-value are rounded to integers. NaN where a statistic is undefined
 * (a side empty, a single bin for chi-squared).
 */
export function histogramStatistics(aligned: AlignedBins): HistogramStatistics {
  const { ref, cur } = aligned;
  const nRef = sum(ref);
  const nCur = sum(cur);
  const ks = ksFromBins(ref, cur, false);
  const n = Math.round(nRef);
  const m = Math.round(nCur);
  const chi2 = chi2Homogeneity(ref, cur);
  return {
    referenceSamples: nRef,
    samples: nCur,
    bins: ref.length,
    ksStatistic: ks.statistic,
    ksErrorBound: ks.errorBound,
    ksPValue: n > 0 && m > 0 ? ksPValue(ks.statistic, n, m) : NaN,
    psi: psi(ref, cur),
    jensenShannon: jensenShannonDistance(ref, cur),
    chi2PValue: chi2?.pvalue ?? NaN,
  };
}

/** A histogram that cannot be compared; `reason` is the error reason counted for the source. */
export class HistogramError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

function sum(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}
