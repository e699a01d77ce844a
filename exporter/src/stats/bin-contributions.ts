// Each bin's part of a binned statistic, so an alert can say which bins moved: PSI's terms
// (c − r)·ln(c / r) sum to the PSI, and the Jensen-Shannon terms sum to the JS divergence (the
// squared distance). Every term is ≥ 0, so the largest terms are the bins that moved most.

const EMPTY_SHARE = 1e-4;

/** PSI's per-bin terms, with psi()'s definition (an empty share is 1e-4 on either side); empty when a side has no values. */
export function psiContributions(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): Float64Array {
  const [refTotal, curTotal] = totals(refCounts, curCounts);
  if (refTotal === 0 || curTotal === 0) return new Float64Array(0);
  const terms = new Float64Array(refCounts.length);
  for (let i = 0; i < terms.length; i++) {
    const r = refCounts[i] === 0 ? EMPTY_SHARE : refCounts[i] / refTotal;
    const c = curCounts[i] === 0 ? EMPTY_SHARE : curCounts[i] / curTotal;
    terms[i] = (c - r) * Math.log(c / r);
  }
  return terms;
}

/**
 * The per-bin terms of the base-2 Jensen-Shannon divergence (p·ln(p/m) + q·ln(q/m)) / (2 ln 2),
 * m = (p + q)/2: they sum to jensenShannonDistance()². Empty when a side has no values.
 */
export function jensenShannonContributions(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): Float64Array {
  const [pTotal, qTotal] = totals(refCounts, curCounts);
  if (pTotal === 0 || qTotal === 0) return new Float64Array(0);
  const terms = new Float64Array(refCounts.length);
  for (let i = 0; i < terms.length; i++) {
    const p = refCounts[i] / pTotal;
    const q = curCounts[i] / qTotal;
    const m = (p + q) / 2;
    terms[i] = (relEntr(p, m) + relEntr(q, m)) / (2 * Math.LN2);
  }
  return terms;
}

/** The indices of the k largest terms, largest first; equal terms in bin order. */
export function topBins(terms: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: terms.length }, (_, i) => i);
  order.sort((a, b) => terms[b] - terms[a] || a - b);
  return order.slice(0, Math.max(0, k));
}

/** scipy.special.rel_entr for non-negative shares. */
function relEntr(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(x / y);
}

function totals(a: ArrayLike<number>, b: ArrayLike<number>): [number, number] {
  if (a.length !== b.length) throw new RangeError(`bin count mismatch: ${a.length} vs ${b.length}`);
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    sa += a[i];
    sb += b[i];
  }
  return [sa, sb];
}
