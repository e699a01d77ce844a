// The `bin` and `range` labels of a feature's bins. Numeric bins are numbered with zero padding so
// they sort; the range label carries their bounds. Categorical bins are named by their category.
import { OTHER_CATEGORY, type FeatureProfile } from '../profile/types.ts';

export interface BinLabel {
  bin: string;
  range: string;
}

export function binLabels(profile: FeatureProfile): BinLabel[] {
  if (profile.type === 'categorical') {
    return [...profile.top, OTHER_CATEGORY].map((category) => ({ bin: category, range: category }));
  }
  const edges = profile.edges;
  const width = String(edges.length).length;
  const bounds = [-Infinity, ...edges, Infinity];
  return bounds.slice(0, -1).map((lower, i) => ({
    bin: String(i).padStart(width, '0'),
    range: `${lower === -Infinity ? '(' : '['}${formatBound(lower)}, ${formatBound(bounds[i + 1])})`,
  }));
}

function formatBound(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(Number(value.toPrecision(6)));
}
