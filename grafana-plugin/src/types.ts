/** What the panel shows. */
export type ViewMode = 'overview' | 'heatmap' | 'table' | 'distribution';

/** The per-feature statistic that colours the heatmap (the exporter's metric name without `mlmon_feature_`). */
export type Statistic = 'psi' | 'ks_statistic' | 'jensen_shannon_distance' | 'wasserstein_normalized';

export type SortOrder = 'worst' | 'name' | 'max';

export type ColorScheme = 'thresholds' | 'gradient';

/** Status colours: a colour-blind-safe set (blue / ochre / rose, distinct in lightness too) or Grafana's green / orange / red. */
export type Palette = 'colorblind' | 'classic';

/** How the overview arranges its sections: chosen from the panel size, or forced. */
export type OverviewLayout = 'auto' | 'rows' | 'columns' | 'stacked';

export type DistributionColor = 'share' | 'delta';

/** The exporter's own status words (`mlmon_feature_status{status}`). */
export type FeatureStatus = 'stable' | 'investigate' | 'drift' | 'insufficient_data';

/** A statistic's two limits: above `investigate` is worth a look, above `drift` is drift. */
export interface StatThresholds {
  investigate: number;
  drift: number;
}

export interface DriftOptions {
  viewMode: ViewMode;
  layout: OverviewLayout;
  statistic: Statistic;
  sort: SortOrder;
  /** Rows in the heatmap: 0 = automatic (every feature up to 30, else the 20 worst), N = the first N. */
  topN: number;
  palette: Palette;
  colorScheme: ColorScheme;
  /** Limits per statistic: each statistic is coloured on its own scale. */
  thresholds: Record<Statistic, StatThresholds>;
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
  { value: 'wasserstein_normalized', label: 'W₁/σ', description: 'Wasserstein-1 / reference std' },
];

export const STATUS_TEXT: Record<FeatureStatus, string> = {
  stable: 'stable',
  investigate: 'investigate',
  drift: 'drift',
  insufficient_data: 'insufficient data',
};

/**
 * Conventional limits: PSI 0.1 / 0.2 (the exporter's); JS and normalised Wasserstein drift above
 * 0.1 and investigate above half of it (the exporter's rule); KS D has no exporter threshold and
 * follows the same 0.05 / 0.1.
 */
export const DEFAULT_THRESHOLDS: Record<Statistic, StatThresholds> = {
  psi: { investigate: 0.1, drift: 0.2 },
  ks_statistic: { investigate: 0.05, drift: 0.1 },
  jensen_shannon_distance: { investigate: 0.05, drift: 0.1 },
  wasserstein_normalized: { investigate: 0.05, drift: 0.1 },
};

/** Above this many features the heatmap shows the worst AUTO_TOP_N unless told otherwise. */
export const AUTO_ALL_UP_TO = 30;
export const AUTO_TOP_N = 20;

export const defaultOptions: DriftOptions = {
  viewMode: 'overview',
  layout: 'auto',
  statistic: 'psi',
  sort: 'worst',
  topN: 0,
  palette: 'colorblind',
  colorScheme: 'thresholds',
  thresholds: DEFAULT_THRESHOLDS,
  distributionColor: 'share',
  model: '$model',
  window: '$window',
  feature: '$feature',
  modelLabel: 'model',
  featureLabel: 'feature',
  windowLabel: 'window',
  binLabel: 'bin',
};
