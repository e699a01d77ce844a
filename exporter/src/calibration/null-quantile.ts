// The threshold a statistic exceeds with probability `rate` when both the reference and the
// window are drawn from the same distribution: a parametric bootstrap from the reference's bin
// shares. Each round draws a reference of the reference's size and a window of the window's
// size, both from those shares, and computes the statistic with the exporter's own function, so
// the reference's own sampling noise and the statistic's quirks (PSI's 1e-4 for empty bins) are
// in the null distribution.
import { jensenShannonDistance, psi } from '../stats/index.ts';
import { Random } from '../util/random.ts';
import { multinomial } from './multinomial.ts';

export type CalibratedStatistic = 'psi' | 'jensen_shannon';

const STATISTIC: Record<CalibratedStatistic, (ref: ArrayLike<number>, cur: ArrayLike<number>) => number> = {
  psi,
  jensen_shannon: jensenShannonDistance,
};

/** Rounds per threshold: about 100 exceedances expected, within bounds on cost. */
export function roundsFor(rate: number): number {
  return Math.min(100_000, Math.max(2_000, Math.ceil(100 / rate)));
}

export interface NullQuantileInput {
  statistic: CalibratedStatistic;
  referenceCounts: ArrayLike<number>;
  windowSize: number;
  rate: number;
  seed: number;
}

/** The (1 - rate) quantile of the statistic under no drift; NaN without reference counts. */
export function nullQuantile({ statistic, referenceCounts, windowSize, rate, seed }: NullQuantileInput): number {
  let total = 0;
  for (let i = 0; i < referenceCounts.length; i++) total += referenceCounts[i];
  if (total <= 0 || windowSize <= 0) return NaN;
  const shares = Float64Array.from(referenceCounts, (c) => c / total);
  const random = new Random(seed);
  const compute = STATISTIC[statistic];
  const rounds = roundsFor(rate);
  const values = new Float64Array(rounds);
  const ref = new Float64Array(shares.length);
  const cur = new Float64Array(shares.length);
  for (let r = 0; r < rounds; r++) {
    multinomial(random, total, shares, ref);
    multinomial(random, windowSize, shares, cur);
    values[r] = compute(ref, cur);
  }
  values.sort();
  // The smallest value exceeded by at most `rate` of the rounds.
  return values[Math.min(rounds - 1, Math.ceil((1 - rate) * rounds) - 1)];
}
