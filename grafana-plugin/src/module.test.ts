import { FieldConfigProperty } from '@grafana/data';
import { initRegistries } from './test-utils/registries';
import { plugin } from './module';
import { DEFAULT_THRESHOLDS, defaultOptions } from './types';

describe('plugin', () => {
  beforeAll(() => initRegistries());
  it('has defaults that work with the provisioned dashboards', () => {
    expect(plugin.defaults).toEqual(defaultOptions);
  });
  it('offers each statistic its own editable limits, and no field options that would not apply', () => {
    const defaults = plugin.defaults as typeof defaultOptions;
    expect(defaults.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(defaults.thresholds.jensen_shannon_distance).not.toEqual(defaults.thresholds.psi);
    for (const p of Object.values(FieldConfigProperty))
      expect(plugin.fieldConfigRegistry.getIfExists(p)).toBeUndefined();
  });
});
