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
