// The bins that moved most: each bin's part of a binned statistic (psiContributions in psi.ts,
// jensenShannonContributions in jensen-shannon.ts) is ≥ 0, so the largest terms are those bins.

/** The indices of the k largest terms, largest first; equal terms in bin order. */
export function topBins(terms: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: terms.length }, (_, i) => i);
  order.sort((a, b) => terms[b] - terms[a] || a - b);
  return order.slice(0, Math.max(0, k));
}
