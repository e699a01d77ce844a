// How much more a window's bin shares vary than an independent sample's of the same size: the
// allowance calibrated thresholds make for autocorrelated traffic. When records come in bursts
// that share a state (a campaign, a slow hour, a noisy sensor), a window of n values is worth
// fewer than n independent ones, and a null simulated at n alarms far more often than configured.
//
// Estimate, from a reference with timestamps: cut it into chunks as long as the window; compare
// each chunk's bin counts with the reference in force for it, less the chunk itself, by Pearson's
// statistic X² over its expectation for a multinomial, (k - 1)(1 + n/N). That ratio φ is about
// 1 + τ·n when the bins' shares wander with a variance τ per bin share between chunks, so
// τ = Σ(φ - 1) / Σ n over the chunks, and a window of n values has the effective size
// n / (1 + τ·n). τ is kept only when the mean φ exceeds 1 by more than 3 standard errors: chance
// excesses, amplified by windows larger than the reference's chunks, would make thresholds loose.
import type { RowBins } from './row-bins.ts';

export interface Dispersion {
  /** τ: the excess of φ per value (0: the chunks vary as independent samples would). */
  perValue: number;
  /** Chunks the estimate used, and their mean φ. */
  chunks: number;
  meanRatio: number;
}

export const NO_DISPERSION: Dispersion = { perValue: 0, chunks: 0, meanRatio: 1 };

/** Chunks smaller than this say little about their variance. */
const MIN_CHUNK = 20;

export function estimateDispersion(
  rows: RowBins,
  binCount: number,
  timestamps: Float64Array,
  windowMs: number,
  /** The bin counts of the reference in force for a window ending then, and the chunk's weight in them. */
  inForce: (endMs: number) => { counts: ArrayLike<number>; chunkWeight: number },
): Dispersion {
  const chunks = new Map<number, Float64Array>();
  for (let i = 0; i < rows.bins.length; i++) {
    if (rows.bins[i] < 0) continue;
    const id = Math.floor(timestamps[i] / windowMs);
    let counts = chunks.get(id);
    if (!counts) chunks.set(id, (counts = new Float64Array(binCount)));
    counts[rows.bins[i]]++;
  }
  const ratios: number[] = [];
  let excess = 0;
  let values = 0;
  for (const [id, chunk] of chunks) {
    let n = 0;
    for (const c of chunk) n += c;
    if (n < MIN_CHUNK) continue;
    const { counts, chunkWeight } = inForce((id + 1) * windowMs);
    const expected = Float64Array.from(counts, (c, b) => Math.max(0, c - chunkWeight * chunk[b]));
    let total = 0;
    for (const e of expected) total += e;
    if (total <= n) continue; // too little reference left beside the chunk
    let statistic = 0;
    let bins = 0;
    for (let b = 0; b < binCount; b++) {
      if (expected[b] <= 0) continue;
      const mean = (n * expected[b]) / total;
      statistic += (chunk[b] - mean) ** 2 / mean;
      bins++;
    }
    if (bins < 2) continue;
    const ratio = statistic / ((bins - 1) * (1 + n / total));
    ratios.push(ratio);
    excess += ratio - 1;
    values += n;
  }
  if (ratios.length < 2) return { ...NO_DISPERSION, chunks: ratios.length };
  const mean = ratios.reduce((s, r) => s + r, 0) / ratios.length;
  const sd = Math.sqrt(ratios.reduce((s, r) => s + (r - mean) ** 2, 0) / (ratios.length - 1));
  const significant = mean - 1 > (3 * sd) / Math.sqrt(ratios.length);
  return { perValue: significant ? Math.max(0, excess / values) : 0, chunks: ratios.length, meanRatio: mean };
}

/** φ for a window of n values. */
export function dispersionAt(dispersion: Dispersion, n: number): number {
  return 1 + dispersion.perValue * n;
}
