// How one incoming value relates to a feature's reference profile (exporter/README.md, "Statistics: definitions", Values).
import { binIndex } from '../stats/index.ts';
import type { CategoricalProfile, NumericProfile } from './types.ts';

export type ViolationReason = 'expected_number' | 'expected_string';

/** Missing = absent, null or NaN. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'number' && Number.isNaN(value));
}

export function numericViolation(value: unknown): ViolationReason | undefined {
  return typeof value === 'number' ? undefined : 'expected_number';
}

export function categoricalViolation(value: unknown): ViolationReason | undefined {
  return typeof value === 'string' ? undefined : 'expected_string';
}

export function isOutOfRange(value: number, profile: NumericProfile): boolean {
  return value < profile.min || value > profile.max;
}

export function numericBins(value: number, profile: NumericProfile): [bin: number, fine: number] {
  return [binIndex(value, profile.edges), binIndex(value, profile.fine_edges)];
}

/** Index in the profile's PSI bins; the last bin is __other__. */
export function categoryBinLookup(profile: CategoricalProfile): (value: string) => number {
  const index = new Map(profile.top.map((category, i) => [category, i]));
  const other = profile.top.length;
  return (value) => index.get(value) ?? other;
}

export function knownCategoryLookup(profile: CategoricalProfile): (value: string) => boolean {
  const known = new Set(profile.categories.map(([category]) => category));
  return (value) => known.has(value);
}
