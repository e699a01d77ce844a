// Where each counter sits in a slice row. One layout per model, shared by its windows; a window's
// counts (SliceRing.total) have the same layout as a row.
//
// A row is a Float64Array of `width` numbers:
//
//   offset              size                              counter
//   RECORDS (0)         1                                 records counted into the slice
//   then one block per feature of the profile, in profile order, then one for the prediction:
//
//   numeric block       NUMERIC_HEAD (7) + bins + fine    +0 PRESENT     non-missing values
//                                                         +1 MISSING     missing, violations included
//                                                         +2 VIOLATIONS  values of the wrong type
//                                                         +3 UNUSUAL     outside the reference [min, max]
//                                                         +4 FINITE      finite values
//                                                         +5 SUM         Σ (value − centre)
//                                                         +6 SUM_SQUARES Σ (value − centre)²
//                                                         +7 …           `edges + 1` PSI bins (binsOffset),
//                                                                        then `fine_edges + 1` fine bins (fineOffset),
//                                                                        then, when the profile has `fine_sums`,
//                                                                        Σ (value − centre) per fine bin and the
//                                                                        number of values summed (fineSumsOffset)
//   categorical block   CATEGORICAL_HEAD (4) + bins       +0 … +3        PRESENT, MISSING, VIOLATIONS, UNUSUAL
//                                                                        (never seen in the reference)
//                                                         +4 …           `top + 1` bins, the last __other__
//
// A numeric feature's min and max are not in the row: the ring keeps them apart (extremaIndex).
// `centre` is the reference mean, so that the sums keep their precision.
import { categoryBinLookup, knownCategoryLookup } from '../profile/classify.ts';
import type { CategoricalProfile, FeatureProfile, NumericProfile, Profile } from '../profile/types.ts';

/** Records counted into the slice (or the window). */
export const RECORDS = 0;
/** Counters before the first feature block. */
const ROW_HEAD = RECORDS + 1;

/** Counters every feature has, at the start of its block. */
export const PRESENT = 0;
export const MISSING = 1; // includes schema violations, which are treated as missing
export const VIOLATIONS = 2;
/** Numeric: out of the reference range. Categorical: never seen in the reference. */
export const UNUSUAL = 3;
/** Numeric only: finite values, their sum and sum of squares (for mean and std). */
export const FINITE = 4;
export const SUM = 5;
export const SUM_SQUARES = 6;
/** Counters of a block before its bins. */
export const NUMERIC_HEAD = SUM_SQUARES + 1;
export const CATEGORICAL_HEAD = UNUSUAL + 1;

/** The records of a window (or slice) from its counts: the one place that reads RECORDS. */
export function recordsOf(counts: ArrayLike<number>): number {
  return counts[RECORDS];
}

interface SlotBase {
  name: string;
  /** Start of this feature's block in a slice row. */
  offset: number;
  binsOffset: number;
  binCount: number;
}

export interface NumericSlot extends SlotBase {
  type: 'numeric';
  profile: NumericProfile;
  fineOffset: number;
  fineCount: number;
  /**
   * When the profile keeps fine-bin sums: where the window keeps the current ones (centred on
   * `centre`, fineCount of them), followed by how many values were summed. -1 otherwise.
   */
  fineSumsOffset: number;
  /** Index of this feature's min/max among the ring's extrema. */
  extremaIndex: number;
  /** The profile's edges as typed arrays, and the centre of the sums: the hot path reads these. */
  edges: Float64Array;
  fineEdges: Float64Array;
  centre: number;
}

export interface CategoricalSlot extends SlotBase {
  type: 'categorical';
  profile: CategoricalProfile;
  binOf: (value: string) => number;
  isKnown: (value: string) => boolean;
}

export type FeatureSlot = NumericSlot | CategoricalSlot;

export interface ModelLayout {
  /** The feature blocks, after RECORDS. */
  features: FeatureSlot[];
  byName: Map<string, FeatureSlot>;
  prediction?: FeatureSlot;
  width: number;
  extrema: number;
}

export function layoutFor(profile: Profile): ModelLayout {
  let width = ROW_HEAD;
  let extrema = 0;
  const slotFor = (name: string, feature: FeatureProfile): FeatureSlot => {
    const offset = width;
    if (feature.type === 'numeric') {
      const binCount = feature.edges.length + 1;
      const fineCount = feature.fine_edges.length + 1;
      const fineSumsOffset = feature.fine_sums ? offset + NUMERIC_HEAD + binCount + fineCount : -1;
      width += NUMERIC_HEAD + binCount + fineCount + (feature.fine_sums ? fineCount + 1 : 0);
      return {
        type: 'numeric',
        name,
        profile: feature,
        offset,
        binsOffset: offset + NUMERIC_HEAD,
        binCount,
        fineOffset: offset + NUMERIC_HEAD + binCount,
        fineCount,
        fineSumsOffset,
        extremaIndex: extrema++,
        edges: Float64Array.from(feature.edges),
        fineEdges: Float64Array.from(feature.fine_edges),
        centre: Number.isFinite(feature.mean) ? feature.mean : 0,
      };
    }
    const binCount = feature.top.length + 1;
    width += CATEGORICAL_HEAD + binCount;
    return {
      type: 'categorical',
      name,
      profile: feature,
      offset,
      binsOffset: offset + CATEGORICAL_HEAD,
      binCount,
      binOf: categoryBinLookup(feature),
      isKnown: knownCategoryLookup(feature),
    };
  };
  const features = Object.entries(profile.features).map(([name, feature]) => slotFor(name, feature));
  const prediction = profile.prediction ? slotFor(profile.prediction.name, profile.prediction) : undefined;
  return { features, byName: new Map(features.map((slot) => [slot.name, slot])), prediction, width, extrema };
}
