import type { FeatureProfile } from '../profile/types.ts';
import type { ExactSamples, FeatureCurrent } from './current.ts';
import type { DriftOptions } from './drift-options.ts';
import { categoricalReport, numericReport, type BinnedKsPValue, type FeatureReport } from './feature-report.ts';

/** One feature's report, whichever its type. */
export function compareFeature(
  ref: FeatureProfile,
  cur: FeatureCurrent,
  options: DriftOptions,
  exact?: ExactSamples,
  binnedPValue?: BinnedKsPValue,
): FeatureReport {
  if (ref.type === 'numeric' && cur.type === 'numeric') return numericReport(ref, cur, options, exact, binnedPValue);
  if (ref.type === 'categorical' && cur.type === 'categorical') return categoricalReport(ref, cur, options);
  throw new Error(`feature type mismatch: reference is ${ref.type}, current is ${cur.type}`);
}
