import { ThresholdsMode, type PanelModel } from '@grafana/data';
import { migrateOptions } from './migrations';
import { DEFAULT_THRESHOLDS, type DriftOptions } from './types';

const panel = (options: Partial<DriftOptions>, steps?: Array<{ value: number; color: string }>) =>
  ({
    id: 1,
    options,
    fieldConfig: { defaults: steps ? { thresholds: { mode: ThresholdsMode.Absolute, steps } } : {}, overrides: [] },
  }) as unknown as PanelModel<Partial<DriftOptions>>;

describe('migrateOptions', () => {
  it("keeps a 0.1 dashboard's field thresholds as the chosen statistic's limits", () => {
    const steps = [
      { value: -Infinity, color: 'green' },
      { value: 0.05, color: 'orange' },
      { value: 0.3, color: 'red' },
    ];
    const out = migrateOptions(panel({ statistic: 'ks_statistic' }, steps));
    expect(out.thresholds!.ks_statistic).toEqual({ investigate: 0.05, drift: 0.3 });
    expect(out.thresholds!.psi).toEqual(DEFAULT_THRESHOLDS.psi);
  });
  it('leaves options that already have limits, or no thresholds to migrate, alone', () => {
    expect(migrateOptions(panel({ statistic: 'psi' })).thresholds).toBeUndefined();
    const own = { ...DEFAULT_THRESHOLDS, psi: { investigate: 0.2, drift: 0.4 } };
    expect(migrateOptions(panel({ thresholds: own }, [{ value: -Infinity, color: 'green' }])).thresholds).toBe(own);
  });
});
