// The drift options one feature-window is decided with: the model's fixed ones, or its calibrated
// threshold for the window's size and the reference in force. Before a calibrated feature's first
// simulation has finished ('pending', seconds after a model loads) the window is decided with a
// threshold nothing passes and no threshold is exported: a model never alarms on a guess.
import type { FeatureSlot } from '../window/layout.ts';
import type { DriftEntry } from '../segments/segment-entry.ts';
import type { FeatureProfile } from '../profile/types.ts';
import type { DriftOptions } from '../report/drift-options.ts';

export interface WindowDrift {
  options: DriftOptions;
  /** Whether `options.threshold` is one to export (false while pending). */
  exported: boolean;
}

export function windowDrift(
  entry: DriftEntry,
  slot: FeatureSlot,
  inForce: FeatureProfile,
  n: number,
  windowMs: number,
): WindowDrift {
  const base = entry.drift;
  if (!entry.thresholds) return { options: base, exported: true };
  const latent = entry.reference.latent(slot.name, windowMs);
  const answer = entry.thresholds.options(base, slot.profile, n, { count: inForce.count, latent });
  if (answer === 'pending') {
    const never = base.statistic === 'ks_pvalue' ? 0 : Infinity;
    return { options: { ...base, threshold: never }, exported: false };
  }
  return answer === 'none' ? { options: base, exported: true } : { options: answer, exported: true };
}
