// The reference profile: everything mlmon keeps of the reference data (never the raw rows).
export const PROFILE_FORMAT = 'mlmon-profile/v1';
export const OTHER_CATEGORY = '__other__';

export interface ProfileSettings {
  bins: number;
  fine_bins: number;
  max_categories: number;
  max_reference_categories: number;
}

interface ValueCounts {
  /** Non-missing values (schema violations count as missing). */
  count: number;
  missing: number;
  violations: number;
}

export interface NumericProfile extends ValueCounts {
  type: 'numeric';
  min: number;
  max: number;
  /** Population mean and std of the finite values. */
  mean: number;
  std: number;
  /** Interior PSI bin edges (reference quantiles at i/bins, duplicates removed). */
  edges: number[];
  counts: number[];
  /** Interior edges of the fine CDF used for KS and Wasserstein from counts. */
  fine_edges: number[];
  fine_counts: number[];
  /**
   * Sum of the finite values of each fine bin: where the mass sits inside a bin, for Wasserstein
   * from bins. Absent in profiles written before it existed (Wasserstein is then coarser).
   */
  fine_sums?: number[];
}

export interface CategoricalProfile extends ValueCounts {
  type: 'categorical';
  /** Every distinct reference category up to max_reference_categories, most frequent first. */
  categories: [string, number][];
  categories_truncated: boolean;
  /** The PSI bins: the max_categories most frequent categories, then __other__. */
  top: string[];
  counts: number[];
}

export type FeatureProfile = NumericProfile | CategoricalProfile;

export interface Profile {
  format: typeof PROFILE_FORMAT;
  rows: number;
  settings: ProfileSettings;
  features: Record<string, FeatureProfile>;
  prediction?: { name: string } & FeatureProfile;
  /** sha256 of the rest of the profile (first 16 hex digits): mlmon_reference_info's reference_hash. */
  hash: string;
}
