// How a window's bin shares wander beyond sampling noise: the allowance calibrated thresholds make
// for autocorrelated traffic. When the records of a minute share a state (a campaign, a slow hour,
// a noisy sensor), a window of n values varies more than n independent values would, and mostly
// along a few directions (a mean that moves shifts every bin together), so a null simulated from
// independent draws alarms far more often than configured, and most for statistics that look
// along one direction (KS, Wasserstein).
//
// Estimate, from a reference with timestamps ("block resampling" of the reference: each block is
// one window long): cut the reference into window-long chunks and take each chunk's bin shares
// minus those of the reference in force for it, less the chunk itself; whiten them by the
// sampling noise a multinomial of the chunk's size would have (share / √(p·(1/n + 1/N))). Their
// covariance is the identity (noise) plus the latent variation. Its eigenvalues above the edge
// pure noise can reach with that many chunks (Marchenko–Pastur: (1 + √(bins/chunks))²) are kept,
// less 1, as the latent variation's directions and variances. A window's null then draws its
// shares' offset from those directions before sampling its values (null-quantile.ts). The latent
// variation belongs to a window's length in time, not to its count, so it holds whatever the
// traffic's rate. Memory: directions × bins numbers per feature and window (a few kB).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface LatentVariation {
  /** Offsets of the bin shares, one per kept direction: a window's offset is Σ zᵢ·factors[i], z ~ N(0, 1). */
  factors: Float64Array[];
  /** Chunks the estimate used. */
  chunks: number;
}

export const NO_LATENT: LatentVariation = { factors: [], chunks: 0 };

/** Chunks smaller than this say little about their variance. */
const MIN_CHUNK = 20;
/** At most this many directions are kept (the largest). */
const MAX_DIRECTIONS = 10;

export interface Chunk {
  counts: Float64Array;
  /** The reference in force for the chunk, less the chunk. */
  expected: ArrayLike<number>;
}

export function estimateLatent(chunks: readonly Chunk[], pooled: ArrayLike<number>): LatentVariation {
  const binCount = pooled.length;
  let pooledTotal = 0;
  for (let b = 0; b < binCount; b++) pooledTotal += pooled[b];
  const used = [...Array(binCount).keys()].filter((b) => pooled[b] > 0);
  const k = used.length;
  if (k < 2 || pooledTotal <= 0) return NO_LATENT;
  const rows: Float64Array[] = [];
  let meanVariance = 0;
  for (const { counts, expected } of chunks) {
    let n = 0;
    let total = 0;
    for (let b = 0; b < binCount; b++) {
      n += counts[b];
      total += expected[b];
    }
    if (n < MIN_CHUNK || total <= n) continue;
    const variance = 1 / n + 1 / total;
    const row = new Float64Array(k);
    used.forEach((b, i) => {
      const q = expected[b] / total;
      if (q > 0) row[i] = (counts[b] / n - q) / Math.sqrt(q * variance);
    });
    rows.push(row);
    meanVariance += variance;
  }
  const m = rows.length;
  if (m < 2 * MAX_DIRECTIONS) return { ...NO_LATENT, chunks: m };
  meanVariance /= m;
  const data = new Matrix(rows.map((row) => Array.from(row)));
  const covariance = data.transpose().mmul(data).div(m);
  const { realEigenvalues, eigenvectorMatrix } = new EigenvalueDecomposition(covariance, { assumeSymmetric: true });
  const edge = (1 + Math.sqrt(k / m)) ** 2;
  const order = realEigenvalues.map((value, i) => [value, i] as const).sort((a, b) => b[0] - a[0]);
  const factors: Float64Array[] = [];
  for (const [value, i] of order.slice(0, MAX_DIRECTIONS)) {
    if (!(value > edge)) break;
    const scale = Math.sqrt((value - 1) * meanVariance);
    const factor = new Float64Array(binCount);
    used.forEach((b, j) => (factor[b] = scale * Math.sqrt(pooled[b] / pooledTotal) * eigenvectorMatrix.get(j, i)));
    factors.push(factor);
  }
  return { factors, chunks: m };
}

/** Each chunk's bin counts, chunks cut at multiples of `windowMs`, from rows' bins and times. */
export function chunkCounts(
  bins: Int32Array,
  binCount: number,
  timestamps: Float64Array,
  windowMs: number,
): Map<number, Float64Array> {
  const chunks = new Map<number, Float64Array>();
  for (let i = 0; i < bins.length; i++) {
    if (bins[i] < 0) continue;
    const id = Math.floor(timestamps[i] / windowMs);
    let counts = chunks.get(id);
    if (!counts) chunks.set(id, (counts = new Float64Array(binCount)));
    counts[bins[i]]++;
  }
  return chunks;
}
