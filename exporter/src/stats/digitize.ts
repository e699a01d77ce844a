// Bin index of a value on ascending edges, as numpy.digitize(x, edges) (right=False): a value
// equal to an edge goes to the bin on its right.

/** Number of edges <= x: -Infinity -> 0, +Infinity -> edges.length; NaN -> edges.length (as
 * numpy does; callers exclude NaN as missing). */
export function binIndex(x: number, edges: ArrayLike<number>): number {
  if (Number.isNaN(x)) return edges.length;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
