import { formatEstimate, performanceEstimates } from './performance';
import type { Series } from './series';

const series = (metric: string, values: number[], model = 'credit', window = '1h'): Series => ({
  metric,
  labels: { model, window },
  times: values.map((_, i) => i * 60_000),
  values,
});

describe('label-free estimates beside realised performance', () => {
  const data = [
    series('mlmon_performance_estimated_accuracy', [0.8, 0.812]),
    series('mlmon_performance_estimated_accuracy_lower', [0.79, 0.801]),
    series('mlmon_performance_estimated_accuracy_upper', [0.81, 0.823]),
    series('mlmon_performance_accuracy', [0.805, 0.79]),
    series('mlmon_performance_estimated_f1', [0.7, NaN]),
    series('mlmon_performance_estimated_f1_lower', [0.68]),
    series('mlmon_performance_estimated_f1_upper', [0.72]),
    series('mlmon_performance_estimated_accuracy', [0.5], 'other'),
    series('mlmon_feature_psi', [0.3]),
  ];

  it('takes the latest value of each estimate, its band and the realised value of the model and window', () => {
    expect(performanceEstimates(data, 'credit', '1h')).toEqual([
      { metric: 'accuracy', estimated: 0.812, lower: 0.801, upper: 0.823, realised: 0.79 },
      { metric: 'f1', estimated: 0.7, lower: 0.68, upper: 0.72, realised: undefined },
    ]);
    expect(performanceEstimates(data, 'other', undefined)).toEqual([
      { metric: 'accuracy', estimated: 0.5, lower: NaN, upper: NaN, realised: undefined },
    ]);
    expect(performanceEstimates(data, 'credit', '24h')).toEqual([]);
  });

  it('says whether the realised value fell inside the band', () => {
    const [accuracy, f1] = performanceEstimates(data, 'credit', '1h');
    expect(formatEstimate(accuracy)).toBe('accuracy est. 0.812 (0.801–0.823), realised 0.790 ✗');
    expect(formatEstimate({ ...accuracy, realised: 0.82 })).toBe('accuracy est. 0.812 (0.801–0.823), realised 0.820 ✓');
    expect(formatEstimate(f1)).toBe('F1 est. 0.700 (0.680–0.720), no labels yet');
  });
});
