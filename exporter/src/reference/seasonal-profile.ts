// An hour-of-week (or hour-of-day) reference profile: the reference rows counted per hour of the
// season, at the pooled profile's bins, so that a window is compared with the reference rows of
// the same hours (Monday 09:00 with earlier Mondays 09:00), and a daily or weekly cycle is no
// longer read as drift. Hours are UTC. Memory per feature: hours × (bins + 2 × fine bins + 2) × 8
// bytes (168 × 213 × 8 ≈ 286 kB at the default 10 and 100 bins).
import type { Table } from '../io/read-table.ts';
import type { FeatureProfile, Profile } from '../profile/types.ts';
import { rowBins, type RowBins } from './row-bins.ts';

export type Season = 'hour_of_week' | 'hour_of_day';
export const HOUR_MS = 3_600_000;
export const SEASON_HOURS: Record<Season, number> = { hour_of_week: 168, hour_of_day: 24 };

/** The season's hour of a time: hours since the epoch (a Thursday, 00:00 UTC) modulo the season. */
export function seasonHour(ms: number, hours: number): number {
  const h = Math.floor(ms / HOUR_MS) % hours;
  return h < 0 ? h + hours : h;
}

interface FeatureSeasons {
  pooled: FeatureProfile;
  /** hours × bins. */
  counts: Float64Array;
  /** Numeric: hours × fine bins, counts and sums of the values. */
  fine?: Float64Array;
  fineSums?: Float64Array;
  present: Float64Array;
  missing: Float64Array;
}

export class SeasonalProfile {
  readonly hours: number;
  private readonly features = new Map<string, FeatureSeasons>();
  /** The last profile made per feature and window, reused while its window's hours are the same. */
  private readonly recent = new Map<string, { key: string; profile: FeatureProfile }>();

  constructor(
    readonly season: Season,
    profile: Profile,
    table: Table,
    timestamps: Float64Array,
    /** Row bins per feature, computed once for the seasons and the latent variation's estimate. */
    bins: ReadonlyMap<string, RowBins>,
  ) {
    this.hours = SEASON_HOURS[season];
    const hourOf = Int32Array.from(timestamps, (t) => seasonHour(t, this.hours));
    const all = {
      ...profile.features,
      ...(profile.prediction ? { [profile.prediction.name]: profile.prediction } : {}),
    };
    for (const [name, pooled] of Object.entries(all)) {
      const rows = bins.get(name) ?? rowBins(pooled, table.columns.get(name) ?? []);
      this.features.set(name, countByHour(pooled, rows, hourOf, this.hours));
    }
  }

  /** Reference values of a feature in an hour of the season (the latent variation's estimate's denominator). */
  seasonsOf(name: string): FeatureSeasons | undefined {
    return this.features.get(name);
  }

  /**
   * The profile a window of `windowMs` ending at `endMs` is compared with: the hours it covers,
   * each weighted by the share of the hour inside the window. A window as long as the season or
   * longer takes the pooled profile.
   */
  inForce(name: string, pooled: FeatureProfile, windowMs: number, endMs: number): FeatureProfile {
    const seasons = this.features.get(name);
    if (!seasons || windowMs >= this.hours * HOUR_MS) return pooled;
    const weights = hourWeights(windowMs, endMs, this.hours);
    const key = weights.map(([h, w]) => `${h}:${w}`).join(',');
    const cacheKey = `${name}\t${windowMs}`;
    const cached = this.recent.get(cacheKey);
    if (cached?.key === key) return cached.profile;
    const profile = weightedProfile(seasons, weights);
    this.recent.set(cacheKey, { key, profile });
    return profile;
  }
}

/** [season hour, share of the hour inside the window] for the hours a window overlaps. */
export function hourWeights(windowMs: number, endMs: number, hours: number): [number, number][] {
  const start = endMs - windowMs;
  const out = new Map<number, number>();
  for (let h = Math.floor(start / HOUR_MS); h * HOUR_MS < endMs; h++) {
    const overlap = Math.min(endMs, (h + 1) * HOUR_MS) - Math.max(start, h * HOUR_MS);
    if (overlap <= 0) continue;
    const hour = seasonHour(h * HOUR_MS, hours);
    out.set(hour, (out.get(hour) ?? 0) + overlap / HOUR_MS);
  }
  return [...out];
}

function countByHour(pooled: FeatureProfile, rows: RowBins, hourOf: Int32Array, hours: number): FeatureSeasons {
  const binCount = pooled.counts.length;
  const seasons: FeatureSeasons = {
    pooled,
    counts: new Float64Array(hours * binCount),
    present: new Float64Array(hours),
    missing: new Float64Array(hours),
  };
  const fineCount = pooled.type === 'numeric' ? pooled.fine_counts.length : 0;
  if (rows.fine && rows.values) {
    seasons.fine = new Float64Array(hours * fineCount);
    seasons.fineSums = new Float64Array(hours * fineCount);
  }
  for (let i = 0; i < rows.bins.length; i++) {
    const h = hourOf[i];
    const bin = rows.bins[i];
    if (bin < 0) {
      seasons.missing[h]++;
      continue;
    }
    seasons.present[h]++;
    seasons.counts[h * binCount + bin]++;
    if (seasons.fine && rows.fine && rows.values) {
      const at = h * fineCount + rows.fine[i];
      seasons.fine[at]++;
      if (Number.isFinite(rows.values[i])) seasons.fineSums![at] += rows.values[i];
    }
  }
  return seasons;
}

function weightedProfile(seasons: FeatureSeasons, weights: [number, number][]): FeatureProfile {
  const { pooled } = seasons;
  const sum = (source: Float64Array, width: number): number[] => {
    const out = new Array<number>(width).fill(0);
    for (const [h, w] of weights) for (let b = 0; b < width; b++) out[b] += w * source[h * width + b];
    return out;
  };
  const count = weights.reduce((s, [h, w]) => s + w * seasons.present[h], 0);
  const missing = weights.reduce((s, [h, w]) => s + w * seasons.missing[h], 0);
  const counts = sum(seasons.counts, pooled.counts.length);
  if (pooled.type === 'categorical') return { ...pooled, count, missing, counts };
  const fineCount = pooled.fine_counts.length;
  return {
    ...pooled,
    count,
    missing,
    counts,
    fine_counts: sum(seasons.fine!, fineCount),
    fine_sums: sum(seasons.fineSums!, fineCount),
  };
}
