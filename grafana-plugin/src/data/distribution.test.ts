import { seriesFrame, syntheticFrames } from '../test-utils/frames';
import { opts } from '../test-utils/options';
import { buildDistributionModel } from './distribution';
import { framesToSeries } from './series';

describe('buildDistributionModel', () => {
  it('pairs reference and current shares per numeric bin, in bin order', () => {
    const series = framesToSeries(syntheticFrames({ features: 2, steps: 6, drifted: [1], withBins: true }));
    const d = buildDistributionModel(series, opts(), 'demo-credit', '5m', 'feature_001');
    expect(d.feature).toBe('feature_001');
    expect(d.features).toEqual(['feature_000', 'feature_001']);
    expect(d.bins.map((b) => b.bin)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(d.bins[0].range).toBe('(-Inf, 0)');
    expect(d.bins[9].reference).toBeCloseTo(0.1);
    expect(d.bins[9].current).toBeCloseTo(0.25);
    expect(d.times).toHaveLength(6);
    expect(d.shares[9][0]).toBeCloseTo(0.1);
    expect(d.shares[9][5]).toBeCloseTo(0.25);
    expect(d.missing).toEqual([]);
  });

  it('orders categories by reference share with __other__ last', () => {
    const lab = (bin: string) => ({ model: 'm', feature: 'country', bin, range: bin });
    const series = framesToSeries([
      seriesFrame('mlmon_feature_reference_bin_ratio', lab('__other__'), [1], [0.3]),
      seriesFrame('mlmon_feature_reference_bin_ratio', lab('DE'), [1], [0.2]),
      seriesFrame('mlmon_feature_reference_bin_ratio', lab('US'), [1], [0.5]),
      seriesFrame('mlmon_feature_bin_ratio', { ...lab('US'), window: '5m' }, [1], [0.4]),
    ]);
    const d = buildDistributionModel(series, opts(), 'm', '5m', undefined);
    expect(d.feature).toBe('country');
    expect(d.bins.map((b) => b.bin)).toEqual(['US', 'DE', '__other__']);
    expect(d.bins[0].current).toBe(0.4);
    expect(Number.isNaN(d.bins[1].current)).toBe(true);
  });

  it("marks a drifted feature's top bins by their contribution now, not the bins that left the top", () => {
    const lab = (bin: string) => ({ model: 'm', feature: 'age', bin, range: `[${bin}0, ${bin}9]` });
    const cur = (bin: string) => ({ ...lab(bin), window: '1h' });
    const series = framesToSeries([
      ...['1', '2', '3', '4'].map((b) => seriesFrame('mlmon_feature_reference_bin_ratio', lab(b), [3], [0.25])),
      ...['1', '2', '3', '4'].map((b) => seriesFrame('mlmon_feature_bin_ratio', cur(b), [1, 2, 3], [0.25, 0.2, 0.1])),
      seriesFrame('mlmon_feature_drift_bin_contribution', cur('4'), [2, 3], [0.05, 0.3]),
      seriesFrame('mlmon_feature_drift_bin_contribution', cur('2'), [1, 2, 3], [0.01, 0.02, 0.1]),
      seriesFrame('mlmon_feature_drift_bin_contribution', cur('1'), [1, 2], [0.4, 0.2]), // left the top
    ]);
    const d = buildDistributionModel(series, opts(), 'm', '1h', 'age');
    expect(d.bins.map((b) => [b.bin, b.rank])).toEqual([
      ['1', 0],
      ['2', 2],
      ['3', 0],
      ['4', 1],
    ]);
    expect(d.bins[3].contribution).toBe(0.3);
    expect(Number.isNaN(d.bins[0].contribution)).toBe(true);
  });

  it('says which bin metrics are missing', () => {
    const d = buildDistributionModel([], opts(), 'm', '5m', 'x');
    expect(d.bins).toEqual([]);
    expect(d.missing).toEqual(['mlmon_feature_reference_bin_ratio', 'mlmon_feature_bin_ratio']);
  });
});
