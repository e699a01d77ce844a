import type { PanelModel } from '@grafana/data';
import { DEFAULT_THRESHOLDS, type DriftOptions } from './types';

/**
 * 0.1.x coloured every statistic by the standard field thresholds (steps at investigate and drift).
 * Such a dashboard keeps its limits as the chosen statistic's; the others take their defaults.
 */
export function migrateOptions(panel: PanelModel<Partial<DriftOptions>>): Partial<DriftOptions> {
  const options = { ...panel.options };
  const steps = panel.fieldConfig?.defaults?.thresholds?.steps ?? [];
  const limits = steps.map((s) => s.value).filter((v) => Number.isFinite(v));
  if (!options.thresholds && limits.length >= 2 && limits[1] > limits[0]) {
    const statistic = options.statistic ?? 'psi';
    options.thresholds = { ...DEFAULT_THRESHOLDS, [statistic]: { investigate: limits[0], drift: limits[1] } };
  }
  return options;
}
