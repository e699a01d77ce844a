/** What the panel shows. */
export type ViewMode = 'overview' | 'heatmap' | 'table' | 'distribution';

/** The per-feature statistic that colours the heatmap (the exporter's metric name without `mlmon_feature_`). */
export type Statistic = 'psi' | 'ks_statistic' | 'jensen_shannon_distance' | 'wasserstein_normalized';

export type SortOrder = 'worst' | 'name' | 'max';

export type ColorScheme = 'thresholds' | 'gradient';

export type DistributionColor = 'share' | 'delta';

/** The exporter's own status words (`mlmon_feature_status{status}`). */
export type FeatureStatus = 'stable' | 'investigate' | 'drift' | 'insufficient_data';

export interface DriftOptions {
  viewMode: ViewMode;
  statistic: Statistic;
  sort: SortOrder;
  /** Show only the first N rows after sorting; 0 shows all. */
  topN: number;
  colorScheme: ColorScheme;
  distributionColor: DistributionColor;
  /** Model to show; variables allowed (`$model`). Empty or `All` shows the first model found. */
  model: string;
  /** Window to show; variables allowed (`$window`). Empty picks the first window found. */
  window: string;
  /** Feature for the distribution view; variables allowed. A click on a row overrides it. */
  feature: string;
  modelLabel: string;
  featureLabel: string;
  windowLabel: string;
  binLabel: string;
}

export const STATISTICS: Array<{ value: Statistic; label: string; description: string }> = [
  { value: 'psi', label: 'PSI', description: 'Population stability index' },
  { value: 'ks_statistic', label: 'KS', description: 'Kolmogorov-Smirnov statistic D' },
  { value: 'jensen_shannon_distance', label: 'JS', description: 'Jensen-Shannon distance (base 2)' },
  { value: 'wasserstein_normalized', label: 'Wasserstein', description: 'Wasserstein-1 / reference std' },
];

export const STATUS_TEXT: Record<FeatureStatus, string> = {
  stable: 'stable',
  investigate: 'investigate',
  drift: 'drift',
  insufficient_data: 'insufficient data',
};

export const defaultOptions: DriftOptions = {
  viewMode: 'overview',
  statistic: 'psi',
  sort: 'worst',
  topN: 0,
  colorScheme: 'thresholds',
  distributionColor: 'share',
  model: '$model',
  window: '$window',
  feature: '$feature',
  modelLabel: 'model',
  featureLabel: 'feature',
  windowLabel: 'window',
  binLabel: 'bin',
};
