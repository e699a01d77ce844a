// Per feature and window size, the drift threshold that a window with no drift exceeds with the
// feature's share of the false-alarm budget. Window sizes are grouped in buckets a quarter of an
// octave wide (n within ±9 % of the bucket's size), simulated once per (reference bin counts,
// bucket) and cached; within a bucket the threshold is rescaled to the window's exact size by the
// statistic's sampling scale (PSI grows as 1/n + 1/N, the JS distance as its square root). The
// null depends on the feature only through its reference bin counts, and numeric features binned
// at reference quantiles mostly have the same counts, so they share one simulation.
import type { DriftOptions } from '../report/drift-options.ts';
import { perFeatureRate, type FamilyCorrection } from './family-correction.ts';
import { nullQuantile, type CalibratedStatistic } from './null-quantile.ts';

const BUCKETS_PER_OCTAVE = 4;

export interface CalibrationSettings {
  statistic: CalibratedStatistic;
  falseAlarmRate: number;
  correction: FamilyCorrection;
  features: number;
  minSamples: number;
}

export class CalibratedThresholds {
  /** The rate each feature-window gets after the family correction. */
  readonly featureRate: number;
  /** At most one entry per distinct reference counts and bucket: about 4·log2(largest window) per feature. */
  private readonly cache = new Map<string, number>();

  constructor(private readonly settings: CalibrationSettings) {
    this.featureRate = perFeatureRate(settings.falseAlarmRate, settings.features, settings.correction);
  }

  /** The threshold for a window of `n` values of a feature with these reference bin counts; NaN below min_samples. */
  threshold(referenceCounts: ArrayLike<number>, n: number): number {
    if (!(n >= this.settings.minSamples)) return NaN;
    let total = 0;
    for (let i = 0; i < referenceCounts.length; i++) total += referenceCounts[i];
    if (total <= 0) return NaN;
    const bucket = Math.round(BUCKETS_PER_OCTAVE * Math.log2(n));
    const bucketSize = Math.round(2 ** (bucket / BUCKETS_PER_OCTAVE));
    const key = `${bucket}\t${Array.prototype.join.call(referenceCounts, ',')}`;
    let atBucket = this.cache.get(key);
    if (atBucket === undefined) {
      atBucket = nullQuantile({
        statistic: this.settings.statistic,
        referenceCounts,
        windowSize: bucketSize,
        rate: this.featureRate,
        seed: seedOf(key),
      });
      this.cache.set(key, atBucket);
    }
    const scale = (1 / n + 1 / total) / (1 / bucketSize + 1 / total);
    return atBucket * (this.settings.statistic === 'psi' ? scale : Math.sqrt(scale));
  }

  /** The drift options for that window: the base ones with the calibrated threshold. */
  options(base: DriftOptions, referenceCounts: ArrayLike<number>, n: number): DriftOptions {
    const threshold = this.threshold(referenceCounts, n);
    return Number.isNaN(threshold) ? base : { ...base, threshold };
  }
}

/** FNV-1a of the cache key: the same counts and bucket always simulate the same rounds. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
