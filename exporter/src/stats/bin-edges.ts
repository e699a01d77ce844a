// Interior bin edges of a numeric feature: reference quantiles at q = i/k, duplicates removed
// (numpy.unique(numpy.quantile(ref, numpy.arange(1, k) / k))).
import { quantileSorted } from './quantile.ts';

/** Ascending distinct interior edges at q = i/k, i = 1..k-1; [] for an empty reference. */
export function quantileEdges(sorted: ArrayLike<number>, k: number): number[] {
  if (sorted.length === 0) return [];
  const edges: number[] = [];
  // q is i/k, not a running sum of 1/k, so it equals numpy.arange(1, k) / k exactly.
  for (let i = 1; i < k; i++) edges.push(quantileSorted(sorted, i / k));
  // Floating-point lerp is not guaranteed monotone in q, so sort as numpy.unique does.
  edges.sort((a, b) => a - b);
  return edges.filter((e, i) => i === 0 || e !== edges[i - 1]);
}

/** Extra quantiles of the fine CDF: its tails, where heavy-tailed data carries most of the distance. */
export const TAIL_QUANTILES = [0.0001, 0.001, 0.005, 0.995, 0.999, 0.9999];

/** Edges at q = i/k plus TAIL_QUANTILES, duplicates removed. */
export function fineQuantileEdges(sorted: ArrayLike<number>, k: number): number[] {
  if (sorted.length === 0) return [];
  const qs = [...TAIL_QUANTILES];
  for (let i = 1; i < k; i++) qs.push(i / k);
  const edges = qs.map((q) => quantileSorted(sorted, q)).sort((a, b) => a - b);
  return edges.filter((e, i) => i === 0 || e !== edges[i - 1]);
}
