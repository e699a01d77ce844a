import { FieldType, toDataFrame } from '@grafana/data';
import { matrixToFrames, seriesFrame, tableFrame } from '../test-utils/frames';
import { framesToSeries, lastValue, metricName } from './series';

describe('framesToSeries', () => {
  it('reads one frame per series with labels on the value field', () => {
    const frames = [
      seriesFrame('mlmon_feature_psi', { model: 'm', feature: 'age', window: '5m' }, [1000, 2000], [0.05, 0.3]),
      seriesFrame('mlmon_feature_psi', { model: 'm', feature: 'income', window: '5m' }, [1000, 2000], [0.01, 0.02]),
    ];
    const series = framesToSeries(frames);
    expect(series).toHaveLength(2);
    expect(series[0]).toEqual({
      metric: 'mlmon_feature_psi',
      labels: { model: 'm', feature: 'age', window: '5m' },
      times: [1000, 2000],
      values: [0.05, 0.3],
    });
  });

  it('reads Grafana table format (labels as string columns) into one series per label set', () => {
    const frame = tableFrame([
      { metric: 'mlmon_feature_psi', labels: { model: 'm', feature: 'age', window: '5m' }, time: 2000, value: 0.3 },
      { metric: 'mlmon_feature_psi', labels: { model: 'm', feature: 'age', window: '5m' }, time: 1000, value: 0.05 },
      {
        metric: 'mlmon_feature_samples',
        labels: { model: 'm', feature: 'age', window: '5m' },
        time: 2000,
        value: 5000,
      },
    ]);
    const series = framesToSeries([frame]);
    expect(series).toHaveLength(2);
    const psi = series.find((s) => s.metric === 'mlmon_feature_psi')!;
    expect(psi.labels).toEqual({ model: 'm', feature: 'age', window: '5m' });
    expect(psi.times).toEqual([1000, 2000]); // sorted
    expect(psi.values).toEqual([0.05, 0.3]);
  });

  it('takes the metric from the field name or the refId when __name__ is absent', () => {
    const byField = toDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1] },
        { name: 'mlmon_feature_psi', type: FieldType.number, values: [0.2], labels: { feature: 'a' } },
      ],
    });
    const byRef = toDataFrame({
      refId: 'mlmon_feature_samples',
      fields: [
        { name: 'Time', type: FieldType.time, values: [1] },
        { name: 'Value', type: FieldType.number, values: [10], labels: { feature: 'a' } },
      ],
    });
    expect(metricName(byField, byField.fields[1])).toBe('mlmon_feature_psi');
    expect(framesToSeries([byRef])[0].metric).toBe('mlmon_feature_samples');
  });

  it('converts a Prometheus matrix result as the datasource does', () => {
    const frames = matrixToFrames([
      {
        metric: { __name__: 'mlmon_feature_psi', model: 'm', feature: 'age', window: '5m' },
        values: [
          [1700000000, '0.1'],
          [1700000015, 'NaN'],
        ],
      },
    ]);
    expect(frames[0].fields[1].labels).toMatchObject({ __name__: 'mlmon_feature_psi', feature: 'age' });
    const [s] = framesToSeries(frames);
    expect(s.times).toEqual([1700000000000, 1700000015000]);
    expect(lastValue(s)).toBe(0.1); // NaN is skipped
  });

  it('returns nothing for no frames', () => {
    expect(framesToSeries([])).toEqual([]);
  });
});
