// The limiting Kolmogorov distribution's survival function, scipy.special.kolmogorov(x):
// P(√n·D > x) as n → ∞. O(1), unlike the finite-n distribution: the exporter uses it for the
// p-value of the fine-CDF KS statistic it recomputes at every scrape.

/** Below this, the theta-function series of the CDF converges faster than the alternating one. */
const CUTOVER = 0.82;

export function kolmogorovSf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x < CUTOVER) {
    // CDF = √(2π)/x · Σ exp(−(2k−1)²π²/(8x²)), k ≥ 1
    const w = (Math.PI * Math.PI) / (8 * x * x);
    let cdf = 0;
    for (let k = 1; k < 20; k++) {
      const term = Math.exp(-(2 * k - 1) * (2 * k - 1) * w);
      cdf += term;
      if (term < 1e-17 * cdf) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / x) * cdf;
  }
  // SF = 2 Σ (−1)^(k−1) exp(−2k²x²), k ≥ 1
  let sf = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sf += k % 2 === 1 ? term : -term;
    if (term < 1e-17 * sf) break;
  }
  return Math.min(1, Math.max(0, 2 * sf));
}

/** Asymptotic two-sample KS p-value for D and sample sizes n, m. */
export function ksAsymptoticPValue(d: number, n: number, m: number): number {
  return kolmogorovSf(Math.sqrt((n * m) / (n + m)) * d);
}
