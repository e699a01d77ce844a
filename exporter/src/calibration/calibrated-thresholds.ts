// Per feature and window, the drift threshold that a window with no drift exceeds with the
// feature's share of the false-alarm budget.
//
// Independent values (no latent variation known): the null's shape comes from a simulation from
// the feature's pooled reference bin counts at a window size bucket (a quarter of an octave
// wide); its scale follows the window actually compared: the statistics' sampling variance goes
// as 1/n + 1/N, with n the window's size and N the size of the reference in force (static, or
// the seasonal hours'). PSI and the chi-squared distance scale with it, the JS distance,
// normalised Wasserstein and KS D with its square root; the KS and chi-squared p-value
// thresholds are the p-values of those distances at the actual sizes.
//
// Autocorrelated values (a latent variation estimated from a timestamped reference): the
// simulation draws each window's shares' offset before its values, at the bucket of the window's
// size and the bucket of the reference in force's size, and its quantile is used as it is
// (the latent part does not scale with n).
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
import type { FeatureLatent } from '../reference/model-reference.ts';
import type { LatentVariation } from '../reference/latent-variation.ts';
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
  /** How the feature's windows of this length wander beyond sampling noise, when known. */
  latent?: FeatureLatent;
}

/** A threshold, or why there is none: 'none' below min_samples, 'pending' before the first simulation. */
export type Threshold = number | 'none' | 'pending';

interface FeatureNull {
  key: string;
  raw: RawStatistic;
  counts: ArrayLike<number>;
  total: number;
  frame?: WassersteinFrame;
  latent?: LatentVariation;
  /** Computed quantiles by size bucket: `${window bucket}` or, with latent variation, `${window}\t${reference}`. */
  buckets: Map<string, number>;
}

export class CalibratedThresholds {
  /** The rate each feature-window gets after the family correction. */
  readonly featureRate: number;
  /** Bumped whenever a simulation finishes: what was rendered with older thresholds is stale. */
  generation = 0;
  /**
   * One entry per distinct (statistic's counts, frame, latent variation): numeric features binned
   * at reference quantiles mostly share one. Each holds at most one quantile per size bucket
   * (about 4·log2(largest window) numbers; with latent variation, per pair of buckets).
   */
  private readonly nulls = new Map<string, FeatureNull>();
  private readonly latentIds = new WeakMap<LatentVariation, number>();
  /** The entry per pooled profile and latent variation, so a scrape does not rebuild its key. */
  private readonly byProfile = new WeakMap<FeatureProfile, Map<FeatureLatent | undefined, FeatureNull>>();
  private readonly queued = new Set<string>();

  constructor(private readonly settings: CalibrationSettings) {
    this.featureRate = perFeatureRate(settings.falseAlarmRate, settings.features, settings.correction);
  }

  /** Queues the simulation a window of min_samples needs, so that thresholds are ready early. */
  prepare(pooled: FeatureProfile, inForce: ReferenceInForce): void {
    const feature = this.featureNull(pooled, inForce.latent);
    if (feature.total > 0 && inForce.count > 0) {
      this.quantileAt(feature, this.bucketKey(feature, this.settings.minSamples, inForce.count));
    }
  }

  /** The threshold for a window of `n` values of a feature whose pooled reference profile is `pooled`. */
  threshold(pooled: FeatureProfile, n: number, inForce: ReferenceInForce): Threshold {
    if (!(n >= this.settings.minSamples) || !(inForce.count > 0)) return 'none';
    const feature = this.featureNull(pooled, inForce.latent);
    if (feature.total <= 0) return 'none';
    const bucket = this.bucketKey(feature, n, inForce.count);
    const found = this.quantileAt(feature, bucket) ?? nearest(feature.buckets, bucket);
    if (!found) return 'pending';
    const [atBucket, simulated] = found;
    const size = Math.round(2 ** (Number(simulated.split('\t')[0]) / BUCKETS_PER_OCTAVE));
    // The statistic's sampling variance at the window's size and the reference in force, over
    // that of the simulation (its bucket's size and the pooled reference); with latent variation
    // the simulation was at these sizes' buckets already.
    const variance = 1 / n + 1 / inForce.count;
    const scale = feature.latent ? 1 : variance / (1 / size + 1 / feature.total);
    switch (feature.raw) {
      case 'psi':
        return atBucket * scale;
      case 'chi2':
        // The chi-squared statistic is already in units of the sampling variance.
        return chi2Sf(atBucket, Math.max(1, nonEmpty(feature.counts) - 1));
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

  private bucketKey(feature: FeatureNull, n: number, referenceCount: number): string {
    return feature.latent ? `${bucketOf(n)}\t${bucketOf(referenceCount)}` : String(bucketOf(n));
  }

  private featureNull(pooled: FeatureProfile, latents?: FeatureLatent): FeatureNull {
    let known = this.byProfile.get(pooled);
    if (!known) this.byProfile.set(pooled, (known = new Map()));
    let feature = known.get(latents);
    if (!feature) known.set(latents, (feature = this.newFeatureNull(pooled, latents)));
    return feature;
  }

  private newFeatureNull(pooled: FeatureProfile, latents?: FeatureLatent): FeatureNull {
    const raw = rawStatistic(this.settings.statistic, pooled.type);
    const fine = pooled.type === 'numeric' && (raw === 'ks_d' || raw === 'wasserstein_normalized');
    const counts = fine ? pooled.fine_counts : pooled.counts;
    const frame =
      raw === 'wasserstein_normalized' && pooled.type === 'numeric'
        ? { edges: pooled.fine_edges, lo: pooled.min, hi: pooled.max, std: Math.max(pooled.std, STD_FLOOR) }
        : undefined;
    const candidate = latents && (fine ? latents.fine : latents.bins);
    const latent = candidate && candidate.factors.length > 0 ? candidate : undefined;
    const latentKey = latent ? `\tL${this.latentId(latent)}` : '';
    const frameKey = frame ? `\t${frame.edges.join(',')}\t${frame.lo}\t${frame.hi}\t${frame.std}` : '';
    const key = `${raw}\t${counts.join(',')}${frameKey}${latentKey}`;
    let feature = this.nulls.get(key);
    if (!feature) {
      let total = 0;
      for (const c of counts) total += c;
      feature = { key, raw, counts, total, frame, latent, buckets: new Map() };
      this.nulls.set(key, feature);
    }
    return feature;
  }

  private latentId(latent: LatentVariation): number {
    let id = this.latentIds.get(latent);
    if (id === undefined) this.latentIds.set(latent, (id = this.nulls.size));
    return id;
  }

  /** The bucket's quantile if computed (computing it now without a runner, queuing it with one). */
  private quantileAt(feature: FeatureNull, bucket: string): [number, string] | undefined {
    const known = feature.buckets.get(bucket);
    if (known !== undefined) return [known, bucket];
    const [windowBucket, referenceBucket] = bucket.split('\t').map(Number);
    const input = {
      statistic: feature.raw,
      referenceCounts: feature.counts,
      windowSize: Math.round(2 ** (windowBucket / BUCKETS_PER_OCTAVE)),
      referenceSize:
        referenceBucket === undefined ? undefined : Math.round(2 ** (referenceBucket / BUCKETS_PER_OCTAVE)),
      latent: feature.latent?.factors,
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

/** The computed bucket nearest by window size (then by reference size). */
function nearest(buckets: Map<string, number>, bucket: string): [number, string] | undefined {
  const [w, r = 0] = bucket.split('\t').map(Number);
  let best: [number, string] | undefined;
  let bestDistance = Infinity;
  for (const [key, value] of buckets) {
    const [kw, kr = 0] = key.split('\t').map(Number);
    const distance = Math.abs(kw - w) * 1000 + Math.abs(kr - r);
    if (distance < bestDistance) [best, bestDistance] = [[value, key], distance];
  }
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
