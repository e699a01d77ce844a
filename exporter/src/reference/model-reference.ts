// Which reference each of a model's windows is compared with, and how much its values vary
// beyond independent sampling (for calibrated thresholds):
//   - static (the default): the pooled reference profile, whatever the time;
//   - `season: hour_of_week | hour_of_day`: the reference rows of the hours the window covers;
//   - `rolling: 7d`: the same window one period earlier, from the exporter's own history.
// With `reference.timestamp`, how window-long chunks of the reference wander beyond sampling noise
// is estimated per feature and window (latent-variation.ts); without it, values count as independent.
import type { Table } from '../io/read-table.ts';
import type { ModelConfig } from '../config/schema.ts';
import type { FeatureProfile, Profile } from '../profile/types.ts';
import { chunkCounts, estimateLatent, NO_LATENT, type LatentVariation } from './latent-variation.ts';
import { rowBins, type RowBins } from './row-bins.ts';
import { HOUR_MS, SeasonalProfile, type Season } from './seasonal-profile.ts';
import type { RollingReference } from './rolling-reference.ts';
import type { FeatureSlot } from '../window/layout.ts';

export type ReferenceKind = 'static' | Season | 'rolling';

/** The latent variation of a feature's windows, on its PSI bins and (numeric) its fine bins. */
export interface FeatureLatent {
  bins: LatentVariation;
  fine: LatentVariation;
}

const NONE: FeatureLatent = { bins: NO_LATENT, fine: NO_LATENT };

/** Reference rows with their times, when `reference.timestamp` names a column. */
export interface TimedRows {
  table: Table;
  timestamps: Float64Array;
}

export class ModelReference {
  constructor(
    readonly kind: ReferenceKind,
    private readonly seasonal: SeasonalProfile | undefined,
    private readonly rolling: RollingReference | undefined,
    /** Key `${feature}\t${windowMs}`. */
    private readonly latents: ReadonlyMap<string, FeatureLatent>,
  ) {}

  /** The pooled reference profile alone, whatever the time: what a segment value compares with. */
  static pooled(): ModelReference {
    return new ModelReference('static', undefined, undefined, new Map());
  }

  static build(
    model: ModelConfig,
    profile: Profile,
    windowsMs: readonly number[],
    timed?: TimedRows,
    rolling?: RollingReference,
  ): ModelReference {
    const season = model.reference.season;
    const kind: ReferenceKind = rolling ? 'rolling' : (season ?? 'static');
    if (!timed) {
      if (season) throw new Error(`reference.season needs reference.timestamp`);
      return new ModelReference(kind, undefined, rolling, new Map());
    }
    const features: [string, FeatureProfile][] = Object.entries(profile.features);
    const bins = new Map<string, RowBins>();
    for (const [name, pooled] of features) bins.set(name, rowBins(pooled, timed.table.columns.get(name) ?? []));
    const seasonal = season ? new SeasonalProfile(season, profile, timed.table, timed.timestamps, bins) : undefined;
    const latents = new Map<string, FeatureLatent>();
    for (const windowMs of windowsMs) {
      // A seasonal window's reference holds the chunk at the share of the hour the window covers.
      const chunkWeight = seasonal ? Math.min(1, windowMs / HOUR_MS) : 1;
      for (const [name, pooled] of features) {
        const rows = bins.get(name)!;
        const inForce = (endMs: number) => (seasonal ? seasonal.inForce(name, pooled, windowMs, endMs) : pooled);
        const latent = (which: 'bins' | 'fine'): LatentVariation => {
          const rowBinsOf = which === 'bins' ? rows.bins : rows.fine;
          const pooledCounts = which === 'bins' ? pooled.counts : pooled.type === 'numeric' ? pooled.fine_counts : [];
          if (!rowBinsOf) return NO_LATENT;
          const chunks = [...chunkCounts(rowBinsOf, pooledCounts.length, timed.timestamps, windowMs)].map(
            ([id, counts]) => {
              const profile = inForce((id + 1) * windowMs);
              const expected = which === 'bins' || profile.type !== 'numeric' ? profile.counts : profile.fine_counts;
              return {
                counts,
                expected: Float64Array.from(expected, (e, b) => Math.max(0, e - chunkWeight * counts[b])),
              };
            },
          );
          return estimateLatent(chunks, pooledCounts);
        };
        latents.set(`${name}\t${windowMs}`, { bins: latent('bins'), fine: latent('fine') });
      }
    }
    return new ModelReference(kind, seasonal, rolling, latents);
  }

  /** The profile a window of `windowMs` ending at `endMs` is compared with. */
  profileFor(slot: FeatureSlot, windowMs: number, endMs: number): FeatureProfile {
    if (this.rolling) return this.rolling.profileFor(slot, windowMs, endMs);
    return this.seasonal ? this.seasonal.inForce(slot.name, slot.profile, windowMs, endMs) : slot.profile;
  }

  latent(name: string, windowMs: number): FeatureLatent {
    return this.latents.get(`${name}\t${windowMs}`) ?? NONE;
  }
}
