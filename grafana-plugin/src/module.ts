import './publicPath';
import { FieldConfigProperty, PanelPlugin, type PanelModel } from '@grafana/data';
import { DriftPanel } from './components/DriftPanel/DriftPanel';
import { migrateOptions } from './migrations';
import { DEFAULT_THRESHOLDS, STATISTICS, defaultOptions, type DriftOptions } from './types';

export const plugin = new PanelPlugin<DriftOptions>(DriftPanel)
  .setMigrationHandler(migrateOptions as (panel: PanelModel<DriftOptions>) => DriftOptions)
  // Colours come from per-statistic limits and a palette (below), not from field options.
  .useFieldConfig({ disableStandardOptions: Object.values(FieldConfigProperty) })
  .setPanelOptions((builder) => {
    builder
      .addRadio({
        path: 'viewMode',
        name: 'View',
        defaultValue: defaultOptions.viewMode,
        settings: {
          options: [
            { value: 'overview', label: 'Overview' },
            { value: 'heatmap', label: 'Heatmap' },
            { value: 'table', label: 'Table' },
            { value: 'distribution', label: 'Distribution' },
          ],
        },
      })
      .addRadio({
        path: 'layout',
        name: 'Overview layout',
        description: 'Auto follows the panel size; small panels show one section with tabs',
        defaultValue: defaultOptions.layout,
        showIf: (o) => o.viewMode === 'overview',
        settings: {
          options: [
            { value: 'auto', label: 'Auto' },
            { value: 'rows', label: 'Rows' },
            { value: 'columns', label: 'Columns' },
            { value: 'stacked', label: 'Stacked' },
          ],
        },
      })
      .addSelect({
        path: 'statistic',
        name: 'Statistic',
        description: 'Colours the heatmap and draws the trend sparklines',
        defaultValue: defaultOptions.statistic,
        settings: { options: STATISTICS.map((s) => ({ value: s.value, label: s.label, description: s.description })) },
      })
      .addRadio({
        path: 'sort',
        name: 'Sort rows',
        defaultValue: defaultOptions.sort,
        settings: {
          options: [
            { value: 'worst', label: 'Worst first' },
            { value: 'max', label: 'Max in range' },
            { value: 'name', label: 'Name' },
          ],
        },
      })
      .addNumberInput({
        path: 'topN',
        name: 'Heatmap rows',
        description: '0: every feature up to 30, else the 20 worst ("show all" in the panel lists the rest)',
        defaultValue: defaultOptions.topN,
        settings: { min: 0, integer: true },
      })
      .addRadio({
        path: 'palette',
        name: 'Palette',
        description: 'Colour-blind safe: blue / ochre / rose; classic: green / orange / red',
        category: ['Colours'],
        defaultValue: defaultOptions.palette,
        settings: {
          options: [
            { value: 'colorblind', label: 'Colour-blind safe' },
            { value: 'classic', label: 'Classic' },
          ],
        },
      })
      .addRadio({
        path: 'colorScheme',
        name: 'Colour scale',
        category: ['Colours'],
        defaultValue: defaultOptions.colorScheme,
        settings: {
          options: [
            { value: 'thresholds', label: 'Threshold steps' },
            { value: 'gradient', label: 'Gradient' },
          ],
        },
      })
      .addRadio({
        path: 'distributionColor',
        name: 'Distribution over time',
        category: ['Colours'],
        defaultValue: defaultOptions.distributionColor,
        settings: {
          options: [
            { value: 'share', label: 'Share' },
            { value: 'delta', label: 'Share − reference' },
          ],
        },
      });
    for (const s of STATISTICS) {
      for (const level of ['investigate', 'drift'] as const) {
        builder.addNumberInput({
          path: `thresholds.${s.value}.${level}`,
          name: `${s.label}: ${level} above`,
          category: ['Thresholds'],
          defaultValue: DEFAULT_THRESHOLDS[s.value][level],
          settings: { min: 0, step: 0.01 },
        });
      }
    }
    builder
      .addTextInput({ path: 'model', name: 'Model', category: ['Selection'], defaultValue: defaultOptions.model })
      .addTextInput({ path: 'window', name: 'Window', category: ['Selection'], defaultValue: defaultOptions.window })
      .addTextInput({
        path: 'feature',
        name: 'Feature (distribution view)',
        description: 'A click on a row overrides it',
        category: ['Selection'],
        defaultValue: defaultOptions.feature,
      })
      .addTextInput({ path: 'modelLabel', name: 'Model label', category: ['Labels'], defaultValue: 'model' })
      .addTextInput({ path: 'featureLabel', name: 'Feature label', category: ['Labels'], defaultValue: 'feature' })
      .addTextInput({ path: 'windowLabel', name: 'Window label', category: ['Labels'], defaultValue: 'window' })
      .addTextInput({ path: 'binLabel', name: 'Bin label', category: ['Labels'], defaultValue: 'bin' });
  });
