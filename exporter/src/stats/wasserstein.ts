// scipy.stats.wasserstein_distance(a, b) on raw samples: the integral of |F_a - F_b| between
// consecutive pooled values, ECDFs as searchsorted(side='right') / n (scipy's _cdf_distance, p=1).

import { ascending } from './sorted.ts';

/** Wasserstein-1 distance of two samples; NaN when either is empty. Inputs may be unsorted. */
export function wasserstein(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = ascending(a);
  const y = ascending(b);
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return NaN;
  let i = 0;
  let j = 0;
  let prev = Math.min(x[0], y[0]);
  let total = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    // F_a - F_b is constant on [prev, v), at the value it took just after prev.
    if (v > prev) total += Math.abs(i / n1 - j / n2) * (v - prev);
    while (i < n1 && x[i] <= v) i++;
    while (j < n2 && y[j] <= v) j++;
    prev = v;
  }
  return total;
}
