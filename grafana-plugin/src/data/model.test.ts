import { seriesFrame, syntheticFrames } from '../test-utils/frames';
import { opts } from '../test-utils/options';
import {
  buildDriftModel,
  durationSeconds,
  effectiveSelection,
  rowLimit,
  sortRows,
  statusFromPsi,
  summarize,
} from './model';
import { framesToSeries } from './series';

const build = (frames: ReturnType<typeof syntheticFrames>, o = opts()) => buildDriftModel(framesToSeries(frames), o);

describe('buildDriftModel', () => {
  it('makes one row per feature on a shared time axis, worst first', () => {
    const m = build(syntheticFrames({ features: 6, steps: 20, drifted: [3] }));
    expect(m.model).toBe('demo-credit');
    expect(m.window).toBe('5m');
    expect(m.times).toHaveLength(20);
    expect(m.features).toHaveLength(6);
    expect(m.features[0].name).toBe('feature_003');
    expect(m.features[0].status).toBe('drift');
    expect(m.features[0].values).toHaveLength(20);
    expect(m.features[0].current).toBeGreaterThan(0.2);
    expect(m.features[0].stats.samples).toBe(5000);
    expect(m.features.find((f) => f.name === 'feature_004')!.type).toBe('categorical');
    expect(m.missing).toEqual([]);
  });

  it("ranks the drifted features by the exporter's drift score and sorts by it within a status", () => {
    // Two drifted features: b has the lower PSI but, weighted by importance, the larger score.
    const at = [1, 2];
    const feature = (name: string, psi: number, score: number) => {
      const labels = { model: 'm', feature: name, window: '1h' };
      return [
        seriesFrame('mlmon_feature_psi', labels, at, [psi, psi]),
        seriesFrame('mlmon_feature_drift_score', labels, at, [score, score]),
        seriesFrame('mlmon_feature_status', { ...labels, status: psi > 0.2 ? 'drift' : 'stable' }, at, [1, 1]),
      ];
    };
    const m = build([...feature('a', 0.5, 0.4), ...feature('b', 0.3, 0.9), ...feature('c', 0.05, 0.01)]);
    expect(m.features.map((f) => [f.name, f.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 0],
    ]);
    expect(m.features[0].score).toBe(0.9);
  });

  it('marks windows with too little data and keeps them apart from stable ones', () => {
    const m = build(syntheticFrames({ features: 3, steps: 5, insufficient: [1] }));
    const row = m.features.find((f) => f.name === 'feature_001')!;
    expect(row.status).toBe('insufficient_data');
    expect([...row.insufficient]).toEqual([1, 1, 1, 1, 1]);
    expect(Number.isNaN(row.current)).toBe(true);
    expect(m.features[m.features.length - 1].name).toBe('feature_001'); // no value: sorted last
  });

  it('derives insufficient data from samples without a statistic when the status metric is absent', () => {
    const labels = { model: 'm', feature: 'x', window: '5m' };
    const series = framesToSeries([
      seriesFrame('mlmon_feature_samples', labels, [1, 2], [10, 5000]),
      seriesFrame('mlmon_feature_psi', labels, [2], [0.15]),
    ]);
    const m = buildDriftModel(series, opts());
    expect([...m.features[0].insufficient]).toEqual([1, 0]);
    expect(m.features[0].status).toBe('investigate');
  });

  it('filters by model and window, from options with variables already replaced', () => {
    const frames = [
      ...syntheticFrames({ features: 2, steps: 3, model: 'a', window: '1h' }),
      ...syntheticFrames({ features: 4, steps: 3, model: 'b', window: '5m' }),
      ...syntheticFrames({ features: 4, steps: 3, model: 'b', window: '1h', drifted: [0] }),
    ];
    const m = build(frames, opts({ model: 'b', window: '$window' }));
    expect(m.models).toEqual(['a', 'b']);
    expect(m.windows).toEqual(['5m', '1h']); // by duration
    expect(m.window).toBe('5m');
    expect(m.features).toHaveLength(4);
    const hour = build(frames, opts({ model: 'b', window: '1h' }));
    expect(hour.features[0].status).toBe('drift');
  });

  it('uses the chosen statistic and reports a missing one', () => {
    const frames = syntheticFrames({ features: 2, steps: 4, drifted: [1] });
    const js = build(frames, opts({ statistic: 'jensen_shannon_distance' }));
    expect(js.features[0].current).toBeCloseTo(js.features[0].stats.jensen_shannon_distance);
    const onlyPsi = frames.filter((f) => f.fields[1].labels?.['__name__'] !== 'mlmon_feature_ks_statistic');
    expect(build(onlyPsi, opts({ statistic: 'ks_statistic' })).missing).toEqual(['mlmon_feature_ks_statistic']);
  });

  it('honours custom label names', () => {
    const series = framesToSeries([seriesFrame('mlmon_feature_psi', { svc: 's', col: 'c', win: '5m' }, [1], [0.5])]);
    const m = buildDriftModel(series, opts({ modelLabel: 'svc', featureLabel: 'col', windowLabel: 'win' }));
    expect(m.model).toBe('s');
    expect(m.features.map((f) => f.name)).toEqual(['c']);
  });
});

describe('sorting and top-N', () => {
  const m = build(syntheticFrames({ features: 8, steps: 10, drifted: [2, 6] }), opts({ sort: 'name' }));
  it('sorts by name', () => {
    expect(m.features.map((f) => f.name)).toEqual([...m.features.map((f) => f.name)].sort());
  });
  it('sorts worst first: drifted, then investigated, then stable, then not judged', () => {
    const mixed = build(
      syntheticFrames({ features: 8, steps: 10, drifted: [2, 6], investigate: [5], insufficient: [0] }),
      opts({ sort: 'name' }),
    );
    const worst = sortRows(mixed.features, { sort: 'worst' });
    expect(worst.slice(0, 3).map((f) => f.status)).toEqual(['drift', 'drift', 'investigate']);
    expect(worst[worst.length - 1].name).toBe('feature_000');
  });
  it('sorts by the maximum over the range', () => {
    const byMax = sortRows(m.features, { sort: 'max' });
    expect(byMax[0].max).toBeGreaterThanOrEqual(byMax[1].max);
  });
});

describe('row limit and summary', () => {
  it('shows every feature up to 30, then the 20 worst, unless told a number', () => {
    expect(rowLimit(6, 0)).toBe(6);
    expect(rowLimit(30, 0)).toBe(30);
    expect(rowLimit(100, 0)).toBe(20);
    expect(rowLimit(100, 5)).toBe(5);
    expect(rowLimit(3, 5)).toBe(3);
  });
  it('never counts a feature without enough data as judged', () => {
    const none = build(syntheticFrames({ features: 6, steps: 4, insufficient: [0, 1, 2, 3, 4, 5] }));
    expect(summarize(none.features)).toEqual({ drift: 0, investigate: 0, stable: 0, unjudged: 6, judged: 0 });
    const some = build(syntheticFrames({ features: 6, steps: 4, drifted: [1], investigate: [2], insufficient: [5] }));
    expect(summarize(some.features)).toEqual({ drift: 1, investigate: 1, stable: 3, unjudged: 1, judged: 5 });
  });
});

describe('helpers', () => {
  it('treats unresolved variables and All as no selection', () => {
    expect(effectiveSelection('$model')).toBeUndefined();
    expect(effectiveSelection('All')).toBeUndefined();
    expect(effectiveSelection('')).toBeUndefined();
    expect(effectiveSelection(' demo ')).toBe('demo');
  });
  it('parses Prometheus durations', () => {
    expect(durationSeconds('5m')).toBe(300);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('soon')).toBeNaN();
  });
  it('derives a status from PSI with the exporter conventions', () => {
    expect(statusFromPsi(0.1)).toBe('stable');
    expect(statusFromPsi(0.15)).toBe('investigate');
    expect(statusFromPsi(0.2)).toBe('investigate');
    expect(statusFromPsi(0.21)).toBe('drift');
    expect(statusFromPsi(NaN)).toBeUndefined();
    expect(statusFromPsi(0.15, { investigate: 0.2, drift: 0.3 })).toBe('stable');
  });
});
