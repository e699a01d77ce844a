import { screen } from '@testing-library/react';
import { seriesFrame, syntheticFrames } from '../../test-utils/frames';
import { panelProps, renderPanel } from '../../test-utils/render';

const frames = syntheticFrames({ features: 3, steps: 4 });
const labels = { model: 'demo-credit', window: '5m' };
const times = [0, 60_000];
const estimateFrames = [
  seriesFrame('mlmon_performance_estimated_accuracy', labels, times, [0.85, 0.851], 'B'),
  seriesFrame('mlmon_performance_estimated_accuracy_lower', labels, times, [0.84, 0.842], 'B'),
  seriesFrame('mlmon_performance_estimated_accuracy_upper', labels, times, [0.86, 0.86], 'B'),
  seriesFrame('mlmon_performance_accuracy', labels, times, [0.8, 0.79], 'B'),
];

describe('DriftPanel: estimated beside realised performance', () => {
  it('shows the label-free estimate, its band and the realised value in the header', () => {
    renderPanel(panelProps([...frames, ...estimateFrames]));
    expect(screen.getByTestId('mlmon-performance')).toHaveTextContent(
      'accuracy est. 0.851 (0.842–0.860), realised 0.790 ✗',
    );
  });

  it('shows nothing of it when the query has no estimate', () => {
    renderPanel(panelProps(frames));
    expect(screen.queryByTestId('mlmon-performance')).toBeNull();
  });
});
