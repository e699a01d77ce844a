// Builds a reference profile from reference data, as exporter/README.md defines the bins.
import { binIndex, fineQuantileEdges, meanAndStd, quantileEdges } from '../stats/index.ts';
import { asText } from '../io/cell.ts';
import { numericColumn, sortedPresentValues } from '../io/numeric-column.ts';
import type { Cell, Table } from '../io/read-table.ts';
import { finitePart } from '../stats/sorted.ts';
import { compareCodePoints } from '../util/code-point-order.ts';
import { hashProfile } from './hash.ts';
import type { FeatureSpec } from './infer.ts';
import {
  OTHER_CATEGORY,
  PROFILE_FORMAT,
  type CategoricalProfile,
  type FeatureProfile,
  type NumericProfile,
  type Profile,
  type ProfileSettings,
} from './types.ts';

export const DEFAULT_SETTINGS: ProfileSettings = {
  bins: 10,
  fine_bins: 100,
  max_categories: 50,
  max_reference_categories: 10_000,
};

export function buildProfile(
  table: Table,
  features: readonly FeatureSpec[],
  settings: ProfileSettings,
  prediction?: FeatureSpec,
): Profile {
  const profiles: Record<string, FeatureProfile> = {};
  for (const feature of features) {
    profiles[feature.name] = buildFeatureProfile(table.columns.get(feature.name) ?? [], feature.type, settings);
  }
  const profile: Omit<Profile, 'hash'> = {
    format: PROFILE_FORMAT,
    rows: table.rowCount,
    settings,
    features: profiles,
  };
  const predictionColumn = prediction && table.columns.get(prediction.name);
  if (prediction && predictionColumn) {
    profile.prediction = { name: prediction.name, ...buildFeatureProfile(predictionColumn, prediction.type, settings) };
  }
  return { ...profile, hash: hashProfile(profile) };
}

export function buildFeatureProfile(
  values: readonly Cell[],
  type: 'numeric' | 'categorical',
  settings: ProfileSettings,
): FeatureProfile {
  return type === 'numeric' ? buildNumeric(values, settings) : buildCategorical(values, settings);
}

function buildNumeric(values: readonly Cell[], settings: ProfileSettings): NumericProfile {
  const column = numericColumn(values);
  const violations = column.violations;
  const missing = values.length - column.present;
  const sorted = sortedPresentValues(column);
  // Edges come from the finite values: an infinite reference value lands in an edge bin
  // but must not turn an edge into ±Infinity.
  const finite = finitePart(sorted);
  const { mean, std } = finite.length > 0 ? meanAndStd(finite) : { mean: NaN, std: NaN };
  const profile: NumericProfile = {
    type: 'numeric',
    count: sorted.length,
    missing,
    violations,
    min: sorted.length > 0 ? sorted[0] : NaN,
    max: sorted.length > 0 ? sorted[sorted.length - 1] : NaN,
    mean,
    std,
    edges: finite.length > 0 ? quantileEdges(finite, settings.bins) : [],
    counts: [],
    fine_edges: finite.length > 0 ? fineQuantileEdges(finite, settings.fine_bins) : [],
    fine_counts: [],
    fine_sums: [],
  };
  profile.counts = new Array(profile.edges.length + 1).fill(0);
  profile.fine_counts = new Array(profile.fine_edges.length + 1).fill(0);
  const fineSums = new Array(profile.fine_edges.length + 1).fill(0);
  const edges = Float64Array.from(profile.edges);
  const fineEdges = Float64Array.from(profile.fine_edges);
  for (const value of sorted) {
    const bin = binIndex(value, edges);
    const fine = binIndex(value, fineEdges);
    profile.counts[bin]++;
    profile.fine_counts[fine]++;
    if (Number.isFinite(value)) fineSums[fine] += value;
  }
  profile.fine_sums = fineSums;
  return profile;
}

function buildCategorical(values: readonly Cell[], settings: ProfileSettings): CategoricalProfile {
  const counts = new Map<string, number>();
  let missing = 0;
  // A category is the cell's text, whatever it looks like: every present cell has one.
  const violations = 0;
  for (const cell of values) {
    const value = asText(cell);
    if (value === null) missing++;
    else counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  // Most frequent first; ties broken by code point order, as numpy sorts strings.
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  const top = ranked.slice(0, settings.max_categories).map(([category]) => category);
  const topCounts = ranked.slice(0, settings.max_categories).map(([, count]) => count);
  const otherCount = ranked.slice(settings.max_categories).reduce((sum, [, count]) => sum + count, 0);
  if (top.includes(OTHER_CATEGORY)) throw new Error(`the category "${OTHER_CATEGORY}" is reserved`);
  return {
    type: 'categorical',
    count: ranked.reduce((sum, [, count]) => sum + count, 0),
    missing,
    violations,
    categories: ranked.slice(0, settings.max_reference_categories),
    categories_truncated: ranked.length > settings.max_reference_categories,
    top,
    counts: [...topCounts, otherCount],
  };
}
