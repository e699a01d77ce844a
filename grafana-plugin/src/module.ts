import './publicPath';
import { FieldConfigProperty, PanelPlugin, ThresholdsMode } from '@grafana/data';
import { DriftPanel } from './components/DriftPanel/DriftPanel';
import { DEFAULT_STEPS } from './data/colors';
import { STATISTICS, defaultOptions, type DriftOptions } from './types';

export const plugin = new PanelPlugin<DriftOptions>(DriftPanel)
  .useFieldConfig({
    disableStandardOptions: [
      FieldConfigProperty.Unit,
      FieldConfigProperty.Decimals,
      FieldConfigProperty.DisplayName,
      FieldConfigProperty.Links,
      FieldConfigProperty.Mappings,
      FieldConfigProperty.Color,
      FieldConfigProperty.NoValue,
    ],
    standardOptions: {
      [FieldConfigProperty.Thresholds]: {
        defaultValue: { mode: ThresholdsMode.Absolute, steps: DEFAULT_STEPS },
      },
    },
  })
  .setPanelOptions((builder) =>
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
      .addSelect({
        path: 'statistic',
        name: 'Statistic',
        description: 'Colours the heatmap and the trend sparklines',
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
        name: 'Top N features',
        description: '0 shows every feature',
        defaultValue: defaultOptions.topN,
        settings: { min: 0, integer: true },
      })
      .addRadio({
        path: 'colorScheme',
        name: 'Colour scheme',
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
        defaultValue: defaultOptions.distributionColor,
        settings: {
          options: [
            { value: 'share', label: 'Share' },
            { value: 'delta', label: 'Share − reference' },
          ],
        },
      })
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
      .addTextInput({ path: 'binLabel', name: 'Bin label', category: ['Labels'], defaultValue: 'bin' }),
  );
