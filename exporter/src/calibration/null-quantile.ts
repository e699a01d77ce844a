// The threshold a statistic exceeds with probability `rate` when both the reference and the
// window are drawn from the same distribution: a parametric bootstrap from the reference's bin
// shares. Each round draws a reference of the reference's size and a window of the window's
// size, both from those shares, and computes the statistic with the exporter's own function, so
// the reference's own sampling noise and the statistic's quirks (PSI's 1e-4 for empty bins, the
// fine-CDF binning of KS and Wasserstein) are in the null distribution.
//
// P-value statistics are simulated on their distance (the KS D, the chi-squared statistic),
// which the caller turns into a p-value threshold at the window's actual sizes.
import { chi2Homogeneity, jensenShannonDistance, ksFromBins, psi, wassersteinFromBins } from '../stats/index.ts';
import { Random } from '../util/random.ts';
import { multinomial } from './multinomial.ts';

/** The distance a simulation draws, in the units of the exported statistic (p-values aside). */
export type RawStatistic = 'psi' | 'jensen_shannon' | 'ks_d' | 'wasserstein_normalized' | 'chi2';

/** What Wasserstein needs beyond the counts: the fine edges, the outer bounds and the unit. */
export interface WassersteinFrame {
  edges: ArrayLike<number>;
  lo: number;
  hi: number;
  std: number;
}

type Compute = (ref: Float64Array, cur: Float64Array, frame?: WassersteinFrame) => number;

const STATISTIC: Record<RawStatistic, Compute> = {
  psi,
  jensen_shannon: jensenShannonDistance,
  ks_d: (ref, cur) => ksFromBins(ref, cur, false).statistic,
  wasserstein_normalized: (ref, cur, f) => wassersteinFromBins(f!.edges, ref, cur, f!.lo, f!.hi) / f!.std,
  chi2: (ref, cur) => chi2Homogeneity(ref, cur)?.statistic ?? 0,
};

/** Rounds per threshold: about 100 exceedances expected, within bounds on cost. */
export function roundsFor(rate: number): number {
  return Math.min(100_000, Math.max(2_000, Math.ceil(100 / rate)));
}

export interface NullQuantileInput {
  statistic: RawStatistic;
  referenceCounts: ArrayLike<number>;
  windowSize: number;
  /** The reference's size in the simulation; the counts' total by default. */
  referenceSize?: number;
  /** Offsets of the window's shares (latent-variation.ts): each round draws Σ zᵢ·latent[i] before sampling. */
  latent?: readonly Float64Array[];
  rate: number;
  seed: number;
  frame?: WassersteinFrame;
}

/** Rounds between yields of `nullQuantileSteps`: a few milliseconds of work. */
const ROUNDS_PER_STEP = 250;

/**
 * The (1 - rate) quantile of the statistic under no drift, computed in steps: the generator
 * yields every few hundred rounds so that a background runner can interleave other work, and
 * returns the quantile (NaN without reference counts).
 */
export function* nullQuantileSteps(input: NullQuantileInput): Generator<void, number> {
  const { statistic, referenceCounts, windowSize, rate, seed, frame, latent = [] } = input;
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
  const moved = new Float64Array(shares.length);
  const referenceSize = input.referenceSize ?? total;
  for (let r = 0; r < rounds; r++) {
    multinomial(random, referenceSize, shares, ref);
    multinomial(random, windowSize, latent.length > 0 ? offsetShares(random, shares, latent, moved) : shares, cur);
    values[r] = compute(ref, cur, frame);
    if (r % ROUNDS_PER_STEP === ROUNDS_PER_STEP - 1) yield;
  }
  values.sort();
  // The smallest value exceeded by at most `rate` of the rounds.
  return values[Math.min(rounds - 1, Math.ceil((1 - rate) * rounds) - 1)];
}

/** `nullQuantileSteps` run to the end at once. */
export function nullQuantile(input: NullQuantileInput): number {
  const steps = nullQuantileSteps(input);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** The shares moved by one draw of the latent variation, clipped at 0 and summing to 1 again. */
function offsetShares(random: Random, shares: Float64Array, latent: readonly Float64Array[], out: Float64Array) {
  out.set(shares);
  for (const factor of latent) {
    const z = random.normal();
    for (let b = 0; b < out.length; b++) out[b] += z * factor[b];
  }
  let sum = 0;
  for (let b = 0; b < out.length; b++) {
    out[b] = Math.max(0, out[b]);
    sum += out[b];
  }
  for (let b = 0; b < out.length; b++) out[b] /= sum;
  return out;
}
