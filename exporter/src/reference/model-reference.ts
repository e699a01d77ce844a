// Which reference each of a model's windows is compared with, and how much its values vary
// beyond independent sampling (for calibrated thresholds):
//   - static (the default): the pooled reference profile, whatever the time;
//   - `season: hour_of_week | hour_of_day`: the reference rows of the hours the window covers.
// With `reference.timestamp`, the dispersion of window-long chunks of the reference is estimated
// per feature and window (dispersion.ts); without it, values count as independent.
import type { Table } from '../io/read-table.ts';
import type { ModelConfig } from '../config/schema.ts';
import type { FeatureProfile, Profile } from '../profile/types.ts';
import { estimateDispersion, NO_DISPERSION, type Dispersion } from './dispersion.ts';
import { rowBins, type RowBins } from './row-bins.ts';
import { HOUR_MS, SeasonalProfile, type Season } from './seasonal-profile.ts';

export type ReferenceKind = 'static' | Season;

/** Reference rows with their times, when `reference.timestamp` names a column. */
export interface TimedRows {
  table: Table;
  timestamps: Float64Array;
}

export class ModelReference {
  constructor(
    readonly kind: ReferenceKind,
    private readonly seasonal: SeasonalProfile | undefined,
    /** Key `${feature}\t${windowMs}`. */
    private readonly dispersions: ReadonlyMap<string, Dispersion>,
  ) {}

  static readonly STATIC = new ModelReference('static', undefined, new Map());

  static build(model: ModelConfig, profile: Profile, windowsMs: readonly number[], timed?: TimedRows): ModelReference {
    const season = model.reference.season;
    if (!timed) {
      if (season) throw new Error(`reference.season needs reference.timestamp`);
      return ModelReference.STATIC;
    }
    const features: [string, FeatureProfile][] = Object.entries(profile.features);
    const bins = new Map<string, RowBins>();
    for (const [name, pooled] of features) bins.set(name, rowBins(pooled, timed.table.columns.get(name) ?? []));
    const seasonal = season ? new SeasonalProfile(season, profile, timed.table, timed.timestamps, bins) : undefined;
    const dispersions = new Map<string, Dispersion>();
    for (const windowMs of windowsMs) {
      for (const [name, pooled] of features) {
        const inForce = (endMs: number) =>
          seasonal
            ? {
                counts: seasonal.inForce(name, pooled, windowMs, endMs).counts,
                chunkWeight: Math.min(1, windowMs / HOUR_MS),
              }
            : { counts: pooled.counts, chunkWeight: 1 };
        const estimate = estimateDispersion(bins.get(name)!, pooled.counts.length, timed.timestamps, windowMs, inForce);
        dispersions.set(`${name}\t${windowMs}`, estimate);
      }
    }
    return new ModelReference(season ?? 'static', seasonal, dispersions);
  }

  /** The profile a window of `windowMs` ending at `now` is compared with. */
  profileFor(name: string, pooled: FeatureProfile, windowMs: number, now: number): FeatureProfile {
    return this.seasonal ? this.seasonal.inForce(name, pooled, windowMs, now) : pooled;
  }

  dispersion(name: string, windowMs: number): Dispersion {
    return this.dispersions.get(`${name}\t${windowMs}`) ?? NO_DISPERSION;
  }
}
