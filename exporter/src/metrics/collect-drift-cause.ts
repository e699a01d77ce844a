// What moved, for the alert and the panel: per window, the model's drift score and each feature's
// part of it (report/drift-score.ts), and for every drifted feature the bins that contribute most
// to its statistic. Only the top `drift.top_bins` bins of a drifted feature are written, so the
// bin series stay within features × windows × top_bins (METRICS.md, "Cardinality budget").
import type { ModelEntry } from '../model-entry.ts';
import type { FeatureProfile } from '../profile/types.ts';
import { driftScores, type JudgedFeature } from '../report/drift-score.ts';
import type { FeatureReport } from '../report/feature-report.ts';
import { jensenShannonContributions, psiContributions, topBins, type DriftStatistic } from '../stats/index.ts';
import { binLabels } from './bin-labels.ts';
import type { FamilyWriter } from './exposition.ts';

export interface DriftCauseFamilies {
  modelScore: FamilyWriter;
  featureScore: FamilyWriter;
  binContribution: FamilyWriter;
}

/** One feature of one window as collect-models judged it. */
export interface WindowFeature {
  name: string;
  profile: FeatureProfile;
  report: FeatureReport;
  /** The decision statistic's value, when the feature has enough data. */
  value: number | undefined;
  threshold: number;
  /** The window's counts in the feature's bins. */
  bins: ArrayLike<number>;
}

export function writeDriftCause(
  f: DriftCauseFamilies,
  model: string,
  window: string,
  entry: ModelEntry,
  features: readonly WindowFeature[],
): void {
  const statistic = entry.drift.statistic;
  const judged: JudgedFeature[] = features
    .filter((x) => x.report.status !== 'insufficient_data' && x.value !== undefined)
    .map((x) => ({
      feature: x.name,
      value: x.value!,
      threshold: x.threshold,
      importance: entry.importance.get(x.name) ?? 1,
    }));
  const scores = driftScores(statistic, judged);
  if (scores) {
    f.modelScore.sample({ model, window }, scores.model);
    for (const { feature, score } of scores.features) f.featureScore.sample({ model, feature, window }, score);
  }
  if (entry.topBins === 0) return;
  for (const x of features) {
    if (x.report.status !== 'drift') continue;
    const terms = contributions(statistic, x.profile.counts, x.bins);
    const labels = binLabels(x.profile);
    for (const i of topBins(terms, entry.topBins)) {
      if (terms[i] > 0) f.binContribution.sample({ model, feature: x.name, window, ...labels[i] }, terms[i]);
    }
  }
}

/**
 * The terms of the model's statistic when it is a sum over the bins (PSI, JS); KS and Wasserstein
 * are not sums over these bins, so their models get PSI's terms on the same bins.
 */
function contributions(statistic: DriftStatistic, ref: ArrayLike<number>, cur: ArrayLike<number>): Float64Array {
  return statistic === 'jensen_shannon' ? jensenShannonContributions(ref, cur) : psiContributions(ref, cur);
}
