// numpy.quantile(a, q) with method 'linear' on an ascending-sorted array, including numpy's lerp
// (a + (b - a) t below t = 0.5, b - (b - a)(1 - t) from 0.5 on), so edges match bit for bit.

/** numpy.quantile(sorted, q), method 'linear'. NaN for an empty array or q outside [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || !(q >= 0 && q <= 1)) return NaN;
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return sorted[n - 1];
  const prev = Math.floor(virtual);
  return lerp(sorted[prev], sorted[prev + 1], virtual - prev);
}

function lerp(a: number, b: number, t: number): number {
  if (Number.isFinite(a) && Number.isFinite(b)) {
    // numpy's formula exactly, signed zeros included (-0 + 0 * t is +0).
    const diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  }
  // numpy yields NaN next to an infinity (inf - inf); here the infinite neighbour wins
  // instead, so a reference holding ±Infinity still gets usable edges.
  if (t === 0 || a === b) return a;
  if (a === -Infinity && b === Infinity) return t < 0.5 ? a : b;
  return a === -Infinity ? a : b;
}
