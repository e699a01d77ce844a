import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { buildDistributionModel } from '../../data/distribution';
import { framesToSeries } from '../../data/series';
import { syntheticFrames } from '../../test-utils/frames';
import { opts } from '../../test-utils/options';
import type { recordingContext } from '../../../.config/jest-setup';
import { DistributionView } from './DistributionView';

const series = framesToSeries(syntheticFrames({ features: 2, steps: 6, drifted: [1], withBins: true }));

describe('DistributionView', () => {
  it('shows reference and current bars per bin with the bin bounds, and shares over time', () => {
    const dist = buildDistributionModel(series, opts(), 'demo-credit', '5m', 'feature_001');
    render(<DistributionView dist={dist} mode="share" width={600} height={400} />);
    expect(screen.getByTestId('mlmon-distribution-feature')).toHaveTextContent('feature_001');
    expect(screen.getAllByTestId('mlmon-bin')).toHaveLength(10);
    expect(screen.getAllByText('(-Inf, 0)').length).toBeGreaterThan(0);
    fireEvent.mouseEnter(screen.getAllByTestId('mlmon-bin')[9]);
    const tip = screen.getByRole('tooltip');
    expect(tip).toHaveTextContent('[8, +Inf)');
    expect(tip).toHaveTextContent('reference: 10.0%');
    expect(tip).toHaveTextContent('current: 25.0%');
    const canvas = screen.getByTestId('mlmon-distribution-canvas') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d') as unknown as ReturnType<typeof recordingContext>;
    expect(ctx.rects).toHaveLength(10 * 6);
  });

  it("outlines and numbers a drifted feature's top bins, with their contribution in the tooltip", () => {
    const withCause = framesToSeries(
      syntheticFrames({ features: 2, steps: 6, drifted: [1], withBins: true, withCause: true }),
    );
    const dist = buildDistributionModel(withCause, opts(), 'demo-credit', '5m', 'feature_001');
    render(<DistributionView dist={dist} mode="share" width={600} height={400} />);
    const marked = screen.getAllByTestId('mlmon-bin').filter((g) => g.dataset.rank);
    expect(marked.map((g) => [g.dataset.bin, g.dataset.rank])).toEqual([
      ['7', '1'],
      ['8', '2'],
      ['9', '3'],
    ]);
    fireEvent.mouseEnter(marked[0]);
    expect(screen.getByRole('tooltip')).toHaveTextContent(/contribution: 0\.137.* \(#1 of the bins that moved\)/);
  });

  it('draws share minus reference on a diverging scale', () => {
    const dist = buildDistributionModel(series, opts(), 'demo-credit', '5m', 'feature_001');
    render(<DistributionView dist={dist} mode="delta" width={600} height={400} />);
    const canvas = screen.getByTestId('mlmon-distribution-canvas') as HTMLCanvasElement;
    const fills = new Set(
      (canvas.getContext('2d') as unknown as ReturnType<typeof recordingContext>).rects.map((r) => r.fill),
    );
    expect(fills.size).toBeGreaterThanOrEqual(3); // unchanged, more than reference, less than reference
  });

  it('says which metrics are needed when there are no bins', () => {
    const dist = buildDistributionModel([], opts(), 'm', '5m', undefined);
    render(<DistributionView dist={dist} mode="share" width={600} height={400} />);
    expect(screen.getByTestId('mlmon-distribution')).toHaveTextContent('mlmon_feature_reference_bin_ratio');
  });
});
