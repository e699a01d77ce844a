// Dataset-level drift: the share of drifted features among those with enough data.
import type { FeatureStatus } from './feature-status.ts';

/** drifted / features with enough data; NaN when no feature has enough data. */
export function driftShare(statuses: readonly FeatureStatus[]): number {
  let counted = 0;
  let drifted = 0;
  for (const s of statuses) {
    if (s === 'insufficient_data') continue;
    counted++;
    if (s === 'drift') drifted++;
  }
  return counted > 0 ? drifted / counted : NaN;
}

/** share >= threshold; false for NaN (no feature had enough data). */
export function isDatasetDrift(share: number, driftShareThreshold: number): boolean {
  return share >= driftShareThreshold;
}
