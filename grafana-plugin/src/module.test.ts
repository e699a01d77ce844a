import { initRegistries } from './test-utils/registries';
import { plugin } from './module';
import { defaultOptions } from './types';

describe('plugin', () => {
  beforeAll(initRegistries);
  it('has defaults that work with the provisioned dashboards', () => {
    expect(plugin.defaults).toEqual(defaultOptions);
  });
  it('offers thresholds 0.1 / 0.2 as editable Grafana thresholds', () => {
    const thresholds = plugin.fieldConfigRegistry.get('thresholds');
    expect(thresholds.defaultValue.steps.map((s: { value: number }) => s.value)).toEqual([-Infinity, 0.1, 0.2]);
    expect(plugin.fieldConfigRegistry.getIfExists('unit')).toBeUndefined();
  });
});
