import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { createTheme } from '@grafana/data';
import { buildDriftModel } from '../../data/model';
import { framesToSeries } from '../../data/series';
import { DEFAULT_STEPS } from '../../data/colors';
import { syntheticFrames } from '../../test-utils/frames';
import { opts } from '../../test-utils/options';
import type { recordingContext } from '../../../.config/jest-setup';
import { colorResolver, insufficientColors } from '../theme';
import { DriftHeatmap } from './DriftHeatmap';
import { cellAt, heatmapLayout } from './draw';

const theme = createTheme({ colors: { mode: 'dark' } });
const resolve = colorResolver(theme);
const model = buildDriftModel(
  framesToSeries(syntheticFrames({ features: 5, steps: 10, drifted: [2], insufficient: [4] })),
  opts(),
);

function rects() {
  const canvas = screen.getByTestId('mlmon-heatmap-canvas') as HTMLCanvasElement;
  return (canvas.getContext('2d') as unknown as ReturnType<typeof recordingContext>).rects;
}

describe('DriftHeatmap', () => {
  it('renders one labelled row per feature, worst first, and one canvas cell per value', () => {
    render(<DriftHeatmap model={model} steps={DEFAULT_STEPS} scheme="thresholds" width={600} height={200} />);
    const rows = screen.getAllByTestId('mlmon-heatmap-row');
    expect(rows.map((r) => r.dataset.feature)).toEqual(model.features.map((f) => f.name));
    expect(rows[0]).toHaveTextContent('feature_002');
    expect(rects()).toHaveLength(5 * 10);
  });

  it('colours a drifted cell red, a stable one green, and hatches insufficient data', () => {
    render(<DriftHeatmap model={model} steps={DEFAULT_STEPS} scheme="thresholds" width={600} height={200} />);
    const layout = heatmapLayout(600 - 132 - 4, 200 - 18, 5, 10);
    const at = (row: number, col: number) =>
      rects().find((r) => Math.abs(r.x - col * layout.cellW) < 0.01 && Math.abs(r.y - row * layout.cellH) < 0.01)!.fill;
    const drifted = model.features.findIndex((f) => f.name === 'feature_002');
    const stable = model.features.findIndex((f) => f.name === 'feature_000');
    const starved = model.features.findIndex((f) => f.name === 'feature_004');
    expect(at(drifted, 9)).toBe(resolve('red'));
    expect(at(drifted, 0)).toBe(resolve('green'));
    expect(at(stable, 9)).toBe(resolve('green'));
    expect(at(starved, 9)).toBe(insufficientColors(theme).base);
    expect(insufficientColors(theme).base).not.toBe(resolve('green'));
  });

  it('shows a tooltip with the exact value and selects a row on click', () => {
    const onSelect = jest.fn();
    render(
      <DriftHeatmap
        model={model}
        steps={DEFAULT_STEPS}
        scheme="thresholds"
        width={600}
        height={200}
        onSelect={onSelect}
      />,
    );
    const canvas = screen.getByTestId('mlmon-heatmap-canvas');
    fireEvent.mouseMove(canvas, { clientX: 460, clientY: 5 });
    const tip = screen.getByRole('tooltip');
    expect(tip).toHaveTextContent('feature_002');
    expect(tip).toHaveTextContent(/PSI: 0\.\d+/);
    expect(tip).toHaveTextContent('samples: 5,000');
    fireEvent.click(canvas);
    expect(onSelect).toHaveBeenCalledWith('feature_002');
    fireEvent.mouseMove(canvas, { clientX: 460, clientY: 4 * 36.4 + 5 });
    expect(screen.getByRole('tooltip')).toHaveTextContent('insufficient data (samples 200)');
  });

  it('maps points to cells', () => {
    const l = heatmapLayout(100, 50, 5, 10);
    expect(cellAt(l, 0, 0)).toEqual({ row: 0, col: 0 });
    expect(cellAt(l, 99, 49)).toEqual({ row: 4, col: 9 });
    expect(cellAt(l, 100, 10)).toBeUndefined();
  });
});
