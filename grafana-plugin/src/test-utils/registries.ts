// What Grafana's app registers at start-up from code that is not on npm: the standard option
// editors and standard field options. Tests and the Chromium host page need them to read a
// plugin's defaults. Editors are placeholders unless the caller passes real ones (the Chromium
// host page does, to render the panel editor).
import {
  FieldColorModeId,
  ThresholdsMode,
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  unitOverrideProcessor,
  valueMappingsOverrideProcessor,
  type FieldConfigPropertyItem,
  type StandardEditorsRegistryItem,
} from '@grafana/data';

const EDITOR_IDS = [
  'text',
  'number',
  'slider',
  'boolean',
  'radio',
  'select',
  'multi-select',
  'unit',
  'color',
  'fieldColor',
  'links',
  'stats-picker',
  'strings',
  'timezone',
  'field-name',
  'dashboard-uid',
  'mappings',
  'thresholds',
];

const Noop = () => null;
let done = false;

export function initRegistries(editors: Record<string, StandardEditorsRegistryItem['editor']> = {}): void {
  if (done) return;
  done = true;
  standardEditorsRegistry.setInit(() => EDITOR_IDS.map((id) => ({ id, name: id, editor: editors[id] ?? Noop })));
  const item = (
    id: string,
    process: FieldConfigPropertyItem['process'],
    defaultValue?: unknown,
  ): FieldConfigPropertyItem => ({
    id,
    path: id,
    name: id,
    editor: Noop,
    override: Noop,
    process,
    shouldApply: () => true,
    settings: {},
    defaultValue,
  });
  standardFieldConfigEditorRegistry.setInit(() => [
    item('unit', unitOverrideProcessor),
    item('min', numberOverrideProcessor),
    item('max', numberOverrideProcessor),
    item('decimals', numberOverrideProcessor),
    item('displayName', displayNameOverrideProcessor),
    item('color', identityOverrideProcessor, { mode: FieldColorModeId.Thresholds }),
    item('noValue', stringOverrideProcessor),
    item('links', dataLinksOverrideProcessor, []),
    item('mappings', valueMappingsOverrideProcessor, []),
    item('thresholds', thresholdsOverrideProcessor, {
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: -Infinity, color: 'green' },
        { value: 80, color: 'red' },
      ],
    }),
  ]);
}
