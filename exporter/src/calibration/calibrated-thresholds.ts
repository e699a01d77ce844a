// Per feature and window, the drift threshold that a window with no drift exceeds with the
// feature's share of the false-alarm budget.
//
// The null's shape comes from a simulation (null-quantile.ts) from the feature's pooled reference
// bin counts at a window size bucket (a quarter of an octave wide); its scale follows the window
// actually compared: the statistics' sampling variance goes as 1/n + 1/N, with n the window's
// effective size (its values over the dispersion, see dispersion.ts) and N the size of the
// reference in force (static, or this hour's seasonal profile). PSI and the chi-squared distance
// scale with it, the JS distance, normalised Wasserstein and KS D with its square root; the KS
// and chi-squared p-value thresholds are the p-values of those distances at the actual sizes.
//
// Simulations never run on the scrape path: with a runner they are queued (at model load for
// min_samples, then for each new size bucket) and a scrape uses the nearest bucket already
// computed, or answers 'pending' before the feature's first simulation ends. Without a runner
// (a backfill, which has no scrape to keep fast) they run when first needed.
import { chi2Sf } from '../stats/index.ts';
import { ksAsymptoticPValue } from '../stats/kolmogorov-limit.ts';
import { STD_FLOOR } from '../stats/normalized-wasserstein.ts';
import type { DriftStatistic } from '../stats/index.ts';
import type { FeatureProfile } from '../profile/types.ts';
import type { DriftOptions } from '../report/drift-options.ts';
import type { BackgroundRunner } from './background-runner.ts';
import { perFeatureRate, type FamilyCorrection } from './family-correction.ts';
import { nullQuantile, nullQuantileSteps, type RawStatistic, type WassersteinFrame } from './null-quantile.ts';

const BUCKETS_PER_OCTAVE = 4;

export interface CalibrationSettings {
  statistic: DriftStatistic;
  falseAlarmRate: number;
  correction: FamilyCorrection;
  features: number;
  minSamples: number;
  /** Where simulations run; without one they run in line when first needed. */
  runner?: BackgroundRunner;
}

/** The reference a window is compared with, as far as its threshold depends on it. */
export interface ReferenceInForce {
  /** Values in the reference in force (the static profile's, or the seasonal hours' weighted sum). */
  count: number;
  /** Variance of the window's bin shares over a multinomial's at its size (≥ 1): see dispersion.ts. */
  dispersion: number;
}

/** A threshold, or why there is none: 'none' below min_samples, 'pending' before the first simulation. */
export type Threshold = number | 'none' | 'pending';

interface FeatureNull {
  key: string;
  raw: RawStatistic;
  counts: ArrayLike<number>;
  total: number;
  frame?: WassersteinFrame;
  /** Computed quantiles by size bucket. */
  buckets: Map<number, number>;
}

export class CalibratedThresholds {
  /** The rate each feature-window gets after the family correction. */
  readonly featureRate: number;
  /** Bumped whenever a simulation finishes: what was rendered with older thresholds is stale. */
  generation = 0;
  /**
   * One entry per distinct (statistic's counts, frame): numeric features binned at reference
   * quantiles mostly share one. Each holds at most one quantile per size bucket: about
   * 4·log2(largest window) numbers.
   */
  private readonly nulls = new Map<string, FeatureNull>();
  private readonly byProfile = new WeakMap<FeatureProfile, FeatureNull>();
  private readonly queued = new Set<string>();

  constructor(private readonly settings: CalibrationSettings) {
    this.featureRate = perFeatureRate(settings.falseAlarmRate, settings.features, settings.correction);
  }

  /** Queues the simulations a window of min_samples needs, so that thresholds are ready early. */
  prepare(pooled: FeatureProfile, dispersion = 1): void {
    const feature = this.featureNull(pooled);
    if (feature.total > 0) this.quantileAt(feature, bucketOf(this.settings.minSamples / dispersion));
  }

  /** The threshold for a window of `n` values of a feature whose pooled reference profile is `pooled`. */
  threshold(pooled: FeatureProfile, n: number, inForce: ReferenceInForce): Threshold {
    if (!(n >= this.settings.minSamples) || !(inForce.count > 0)) return 'none';
    const feature = this.featureNull(pooled);
    if (feature.total <= 0) return 'none';
    const effective = n / Math.max(1, inForce.dispersion);
    const bucket = bucketOf(effective);
    const found = this.quantileAt(feature, bucket) ?? nearest(feature.buckets, bucket);
    if (!found) return 'pending';
    const [atBucket, simulated] = found;
    const size = Math.round(2 ** (simulated / BUCKETS_PER_OCTAVE));
    // The statistic's sampling variance at the window's effective size and the reference in
    // force, over that of the simulation (its bucket's size and the pooled reference).
    const variance = 1 / effective + 1 / inForce.count;
    const scale = variance / (1 / size + 1 / feature.total);
    switch (feature.raw) {
      case 'psi':
        return atBucket * scale;
      case 'chi2': {
        // The chi-squared statistic is the distance over the variance an independent sample of n
        // would give it: about χ² at the simulation's sizes, inflated by the dispersion here.
        const statistic = (atBucket * variance) / (1 / n + 1 / inForce.count);
        return chi2Sf(statistic, Math.max(1, nonEmpty(feature.counts) - 1));
      }
      case 'ks_d':
        return this.settings.statistic === 'ks_pvalue'
          ? ksAsymptoticPValue(atBucket * Math.sqrt(scale), inForce.count, n)
          : atBucket * Math.sqrt(scale);
      default:
        return atBucket * Math.sqrt(scale);
    }
  }

  /** The drift options for that window: the base ones with the calibrated threshold, or why not. */
  options(
    base: DriftOptions,
    pooled: FeatureProfile,
    n: number,
    inForce: ReferenceInForce,
  ): DriftOptions | 'none' | 'pending' {
    const threshold = this.threshold(pooled, n, inForce);
    return typeof threshold === 'number' ? { ...base, threshold } : threshold;
  }

  private featureNull(pooled: FeatureProfile): FeatureNull {
    let feature = this.byProfile.get(pooled);
    if (feature) return feature;
    const raw = rawStatistic(this.settings.statistic, pooled.type);
    const fine = pooled.type === 'numeric' && (raw === 'ks_d' || raw === 'wasserstein_normalized');
    const counts = fine ? pooled.fine_counts : pooled.counts;
    const frame =
      raw === 'wasserstein_normalized' && pooled.type === 'numeric'
        ? { edges: pooled.fine_edges, lo: pooled.min, hi: pooled.max, std: Math.max(pooled.std, STD_FLOOR) }
        : undefined;
    const key = `${raw}\t${counts.join(',')}${frame ? `\t${frame.edges.join(',')}\t${frame.lo}\t${frame.hi}\t${frame.std}` : ''}`;
    feature = this.nulls.get(key);
    if (!feature) {
      let total = 0;
      for (const c of counts) total += c;
      feature = { key, raw, counts, total, frame, buckets: new Map() };
      this.nulls.set(key, feature);
    }
    this.byProfile.set(pooled, feature);
    return feature;
  }

  /** The bucket's quantile if computed (computing it now without a runner, queuing it with one). */
  private quantileAt(feature: FeatureNull, bucket: number): [number, number] | undefined {
    const known = feature.buckets.get(bucket);
    if (known !== undefined) return [known, bucket];
    const input = {
      statistic: feature.raw,
      referenceCounts: feature.counts,
      windowSize: Math.round(2 ** (bucket / BUCKETS_PER_OCTAVE)),
      rate: this.featureRate,
      seed: seedOf(`${bucket}\t${feature.key}`),
      frame: feature.frame,
    };
    const { runner } = this.settings;
    if (!runner) {
      const value = nullQuantile(input);
      feature.buckets.set(bucket, value);
      return [value, bucket];
    }
    const id = `${bucket}\t${feature.key}`;
    if (!this.queued.has(id)) {
      this.queued.add(id);
      runner.add(nullQuantileSteps(input), (value) => {
        feature.buckets.set(bucket, value);
        this.queued.delete(id);
        this.generation++;
      });
    }
    return undefined;
  }
}

/** The statistic the simulation draws for a drift statistic and a feature type (see feature-report.ts). */
function rawStatistic(statistic: DriftStatistic, type: FeatureProfile['type']): RawStatistic {
  if (statistic === 'ks_pvalue') return type === 'numeric' ? 'ks_d' : 'chi2';
  if (statistic === 'wasserstein_normalized') return type === 'numeric' ? 'wasserstein_normalized' : 'jensen_shannon';
  return statistic;
}

function bucketOf(n: number): number {
  return Math.round(BUCKETS_PER_OCTAVE * Math.log2(Math.max(1, n)));
}

function nearest(buckets: Map<number, number>, bucket: number): [number, number] | undefined {
  let best: [number, number] | undefined;
  for (const [b, value] of buckets) if (!best || Math.abs(b - bucket) < Math.abs(best[1] - bucket)) best = [value, b];
  return best;
}

function nonEmpty(counts: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) k++;
  return k;
}

/** FNV-1a of the cache key: the same counts and bucket always simulate the same rounds. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
