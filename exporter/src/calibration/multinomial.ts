// Seeded multinomial draws (bin counts of a sample from given bin shares), from a chain of
// binomials. A binomial is drawn exactly by inversion while its variance is small and from the
// normal approximation (rounded, clamped) once n·p·(1-p) ≥ 100, where the approximation's error
// is far below the simulation noise of a tail quantile.
import type { Random } from '../util/random.ts';

const NORMAL_ABOVE_VARIANCE = 100;

export function binomial(random: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  const variance = n * p * (1 - p);
  if (variance >= NORMAL_ABOVE_VARIANCE) {
    const k = Math.round(random.normal(n * p, Math.sqrt(variance)));
    return Math.min(n, Math.max(0, k));
  }
  // Inversion: walk the pmf from 0 (n·p < 200 here, so (1-p)^n stays far from underflow).
  const ratio = p / (1 - p);
  let pmf = Math.pow(1 - p, n);
  let cdf = pmf;
  const u = random.next();
  let k = 0;
  while (u > cdf && k < n) {
    pmf *= (ratio * (n - k)) / (k + 1);
    k++;
    cdf += pmf;
  }
  return k;
}

/** Counts of `n` draws over bins with the given shares (summing to 1), written into `out`. */
export function multinomial(random: Random, n: number, shares: ArrayLike<number>, out: Float64Array): Float64Array {
  let left = n;
  let mass = 1;
  for (let i = 0; i < shares.length; i++) {
    if (i === shares.length - 1 || left === 0) {
      out[i] = i === shares.length - 1 ? left : 0;
      continue;
    }
    const k = mass > 0 ? binomial(random, left, Math.min(1, shares[i] / mass)) : 0;
    out[i] = k;
    left -= k;
    mass -= shares[i];
  }
  return out;
}
