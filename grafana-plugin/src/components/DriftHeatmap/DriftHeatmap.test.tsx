import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { createTheme } from '@grafana/data';
import { levelColor } from '../../data/colors';
import { buildDriftModel } from '../../data/model';
import { framesToSeries } from '../../data/series';
import { syntheticFrames } from '../../test-utils/frames';
import { opts } from '../../test-utils/options';
import { DEFAULT_THRESHOLDS } from '../../types';
import type { recordingContext } from '../../../.config/jest-setup';
import { colorResolver, insufficientColors } from '../theme';
import { DriftHeatmap, type DriftHeatmapProps } from './DriftHeatmap';
import { cellAt, heatmapGeometry } from './draw';

const theme = createTheme({ colors: { mode: 'dark' } });
const resolve = colorResolver(theme);
const model = buildDriftModel(
  framesToSeries(syntheticFrames({ features: 5, steps: 10, drifted: [2], insufficient: [4] })),
  opts(),
);
const base: DriftHeatmapProps = {
  model,
  limits: DEFAULT_THRESHOLDS.psi,
  palette: 'colorblind',
  scheme: 'thresholds',
  width: 600,
  height: 200,
};

function canvas() {
  return screen.getByTestId('mlmon-heatmap-canvas') as HTMLCanvasElement;
}
function rects() {
  return (canvas().getContext('2d') as unknown as ReturnType<typeof recordingContext>).rects;
}

describe('DriftHeatmap', () => {
  it('renders one labelled, focusable row per feature, worst first, and one canvas cell per value', () => {
    render(<DriftHeatmap {...base} />);
    const rows = screen.getAllByTestId('mlmon-heatmap-row');
    expect(rows.map((r) => r.dataset.feature)).toEqual(model.features.map((f) => f.name));
    expect(rows[0]).toHaveTextContent('feature_002');
    expect(rows[0]).toHaveTextContent('◆'); // status shape beside the colour
    expect(rows[0]).toHaveAttribute('tabindex', '0');
    // Every row covered edge to edge (runs of one colour are one rectangle).
    const width = Number(canvas().style.width.replace('px', ''));
    const rowH = Number(canvas().dataset.rowHeight);
    for (let r = 0; r < 5; r++) {
      const covered = rects()
        .filter((q) => q.y === r * rowH)
        .reduce((sum, q) => sum + q.w, 0);
      expect(covered).toBe(width);
    }
  });

  it('draws cells on whole pixels with no gaps between columns (no moiré), rows of one integer height', () => {
    render(<DriftHeatmap {...base} />);
    for (const r of rects()) expect(Number.isInteger(r.x) && Number.isInteger(r.y) && Number.isInteger(r.w)).toBe(true);
    const firstRow = rects()
      .filter((q) => q.y === 0)
      .sort((a, b) => a.x - b.x);
    for (let i = 1; i < firstRow.length; i++) expect(firstRow[i].x).toBe(firstRow[i - 1].x + firstRow[i - 1].w);
    expect(Number(canvas().dataset.rowHeight)).toBe(18);
  });

  it('colours a drifted cell with the drift colour, a stable one with the stable colour, and hatches insufficient data', () => {
    render(<DriftHeatmap {...base} />);
    const rowH = Number(canvas().dataset.rowHeight);
    const at = (row: number, col: number) =>
      rects().find(
        (r) =>
          r.y === row * rowH &&
          r.x ===
            Math.max(
              ...rects()
                .filter((q) => q.y === row * rowH && q.x <= (col * 500) / 10)
                .map((q) => q.x),
            ),
      )!.fill;
    const index = (name: string) => model.features.findIndex((f) => f.name === name);
    expect(at(index('feature_002'), 9)).toBe(levelColor('drift', 'colorblind', resolve));
    expect(at(index('feature_002'), 0)).toBe(levelColor('stable', 'colorblind', resolve));
    expect(at(index('feature_000'), 9)).toBe(levelColor('stable', 'colorblind', resolve));
    expect(at(index('feature_004'), 9)).toBe(insufficientColors(theme).base);
  });

  it('shows a tooltip with the exact value, selects on click and on Enter, moves focus with the arrow keys', () => {
    const onSelect = jest.fn();
    render(<DriftHeatmap {...base} onSelect={onSelect} />);
    fireEvent.mouseMove(canvas(), { clientX: 480, clientY: 5 }); // jsdom: the canvas sits at 0, 0
    const tip = screen.getByRole('tooltip');
    expect(tip).toHaveTextContent('feature_002');
    expect(tip).toHaveTextContent(/PSI: 0\.\d{3}$|PSI: 0\.\d{3}samples/);
    expect(tip).toHaveTextContent('samples: 5,000');
    fireEvent.click(canvas());
    expect(onSelect).toHaveBeenLastCalledWith('feature_002');
    const rows = screen.getAllByTestId('mlmon-heatmap-row');
    rows[0].focus();
    fireEvent.keyDown(rows[0], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows[1]);
    fireEvent.keyDown(rows[1], { key: 'Enter' });
    expect(onSelect).toHaveBeenLastCalledWith(rows[1].dataset.feature);
  });

  it('shows the worst rows of many, with "show all" that scrolls at a legible row height', () => {
    const many = buildDriftModel(framesToSeries(syntheticFrames({ features: 100, steps: 20, drifted: [42] })), opts());
    render(<DriftHeatmap {...base} model={many} limit={20} height={300} />);
    expect(screen.getAllByTestId('mlmon-heatmap-row')).toHaveLength(20);
    expect(screen.getAllByTestId('mlmon-heatmap-row')[0]).toHaveTextContent('feature_042');
    expect(Number(canvas().dataset.rowHeight)).toBeGreaterThanOrEqual(14);
    fireEvent.click(screen.getByTestId('mlmon-show-all'));
    expect(screen.getAllByTestId('mlmon-heatmap-row')).toHaveLength(100);
    expect(Number(canvas().dataset.rowHeight)).toBeGreaterThanOrEqual(14);
    expect(screen.getByTestId('mlmon-show-all')).toHaveTextContent('Show the 20 worst');
  });

  it('maps points to cells', () => {
    const g = heatmapGeometry(100, 5, 10, 10);
    expect(cellAt(g, 0, 0)).toEqual({ row: 0, col: 0 });
    expect(cellAt(g, 99, 49)).toEqual({ row: 4, col: 9 });
    expect(cellAt(g, 100, 10)).toBeUndefined();
  });
});
