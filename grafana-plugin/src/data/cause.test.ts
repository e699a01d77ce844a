import { seriesFrame } from '../test-utils/frames';
import { CONTRIBUTION_METRIC, currentContributions, rankByValue, topFeatures } from './cause';
import { framesToSeries } from './series';

const LABELS = { modelLabel: 'model', featureLabel: 'feature', windowLabel: 'window', binLabel: 'bin' };
const T = [1000, 2000, 3000];
const contribution = (feature: string, bin: string, times: number[], values: number[], window = '1h') =>
  seriesFrame(CONTRIBUTION_METRIC, { model: 'm', feature, window, bin, range: `r${bin}` }, times, values);

describe('currentContributions', () => {
  const series = framesToSeries([
    contribution('x', '9', T, [0.2, 0.25, 0.31]),
    contribution('x', '3', T, [0.1, 0.11, 0.12]),
    // Was in the top, left it before the last sample: not current.
    contribution('x', '5', T.slice(0, 2), [0.4, 0.3]),
    contribution('x', '1', T, [0.9, 0.9, 0.9], '1d'),
    contribution('y', '2', T, [0.5, 0.5, 0.5]),
  ]);

  it("keeps the feature's bins sampled now, in the window asked for", () => {
    expect([...currentContributions(series, LABELS, 'm', '1h', 'x', 3000)]).toEqual([
      ['9', 0.31],
      ['3', 0.12],
    ]);
  });

  it('has nothing for a feature that no longer drifts (its series ended before now)', () => {
    expect(currentContributions(series, LABELS, 'm', '1h', 'y', 4000).size).toBe(0);
  });
});

describe('rankByValue', () => {
  it('ranks positive values largest first, equal ones by name, up to the limit', () => {
    const ranks = rankByValue(
      new Map([
        ['a', 0.1],
        ['b', 0.3],
        ['c', 0.3],
        ['d', 0],
        ['e', NaN],
      ]),
    );
    expect([...ranks]).toEqual([
      ['b', 1],
      ['c', 2],
      ['a', 3],
    ]);
    expect(rankByValue(new Map([['a', 1]]), 0).size).toBe(0);
  });
});

describe('topFeatures', () => {
  it('ranks only drifted features by their drift score, at most three', () => {
    const rows = [
      { name: 'a', status: 'drift' as const, score: 0.2 },
      { name: 'b', status: 'investigate' as const, score: 0.9 },
      { name: 'c', status: 'drift' as const, score: 0.7 },
      { name: 'd', status: 'drift' as const, score: 0.5 },
      { name: 'e', status: 'drift' as const, score: 0.1 },
      { name: 'f', status: 'drift' as const, score: NaN },
    ];
    expect([...topFeatures(rows)]).toEqual([
      ['c', 1],
      ['d', 2],
      ['a', 3],
    ]);
  });
});
