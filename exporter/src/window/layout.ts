// Where each feature's counters sit in a slice row. One layout per model, shared by its windows.
import { categoryBinLookup, knownCategoryLookup } from '../profile/classify.ts';
import type { CategoricalProfile, FeatureProfile, NumericProfile, Profile } from '../profile/types.ts';

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
  /** Offset 0 of a row counts the model's records. */
  features: FeatureSlot[];
  byName: Map<string, FeatureSlot>;
  prediction?: FeatureSlot;
  width: number;
  extrema: number;
}

export function layoutFor(profile: Profile): ModelLayout {
  let width = 1;
  let extrema = 0;
  const slotFor = (name: string, feature: FeatureProfile): FeatureSlot => {
    const offset = width;
    if (feature.type === 'numeric') {
      const binCount = feature.edges.length + 1;
      const fineCount = feature.fine_edges.length + 1;
      const fineSumsOffset = feature.fine_sums ? offset + SUM_SQUARES + 1 + binCount + fineCount : -1;
      width += SUM_SQUARES + 1 + binCount + fineCount + (feature.fine_sums ? fineCount + 1 : 0);
      return {
        type: 'numeric',
        name,
        profile: feature,
        offset,
        binsOffset: offset + SUM_SQUARES + 1,
        binCount,
        fineOffset: offset + SUM_SQUARES + 1 + binCount,
        fineCount,
        fineSumsOffset,
        extremaIndex: extrema++,
        edges: Float64Array.from(feature.edges),
        fineEdges: Float64Array.from(feature.fine_edges),
        centre: Number.isFinite(feature.mean) ? feature.mean : 0,
      };
    }
    const binCount = feature.top.length + 1;
    width += UNUSUAL + 1 + binCount;
    return {
      type: 'categorical',
      name,
      profile: feature,
      offset,
      binsOffset: offset + UNUSUAL + 1,
      binCount,
      binOf: categoryBinLookup(feature),
      isKnown: knownCategoryLookup(feature),
    };
  };
  const features = Object.entries(profile.features).map(([name, feature]) => slotFor(name, feature));
  const prediction = profile.prediction ? slotFor(profile.prediction.name, profile.prediction) : undefined;
  return { features, byName: new Map(features.map((slot) => [slot.name, slot])), prediction, width, extrema };
}
