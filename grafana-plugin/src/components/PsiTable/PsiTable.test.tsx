import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { createTheme } from '@grafana/data';
import { DEFAULT_STEPS } from '../../data/colors';
import { buildDriftModel } from '../../data/model';
import { framesToSeries } from '../../data/series';
import { syntheticFrames } from '../../test-utils/frames';
import { opts } from '../../test-utils/options';
import { colorResolver } from '../theme';
import { PsiTable } from './PsiTable';

const resolve = colorResolver(createTheme({ colors: { mode: 'dark' } }));
const model = buildDriftModel(
  framesToSeries(syntheticFrames({ features: 4, steps: 8, drifted: [1], insufficient: [3] })),
  opts(),
);
const names = () => screen.getAllByTestId('mlmon-table-row').map((r) => r.dataset.feature);
/** Computed colours come back as rgb(); compare through a canvas-free conversion. */
const rgb = (hex: string) => {
  const el = document.createElement('div');
  el.style.background = hex;
  return el.style.background;
};

describe('PsiTable', () => {
  it('renders a row per feature with the statistics, status words and a sparkline', () => {
    render(<PsiTable rows={model.features} steps={DEFAULT_STEPS} scheme="thresholds" width={1000} height={300} />);
    expect(names()).toEqual(['feature_001', 'feature_000', 'feature_002', 'feature_003']);
    const drifted = screen.getAllByTestId('mlmon-table-row')[0];
    expect(within(drifted).getByText('drift')).toBeInTheDocument();
    expect(within(drifted).getByText('5,000')).toBeInTheDocument();
    expect(within(drifted).getByText('1.0%')).toBeInTheDocument();
    expect(within(drifted).getByTestId('mlmon-sparkline').querySelector('path')).not.toBeNull();
    const starved = screen.getAllByTestId('mlmon-table-row')[3];
    expect(within(starved).getByText('insufficient data')).toBeInTheDocument();
    expect(screen.getByText('KS p')).toBeInTheDocument();
  });

  it('colours statistic cells by the thresholds', () => {
    render(<PsiTable rows={model.features} steps={DEFAULT_STEPS} scheme="thresholds" width={1000} height={300} />);
    const [drifted, stable] = screen.getAllByTestId('mlmon-table-row');
    const psi = (row: HTMLElement) => row.querySelector('[data-col="psi"]') as HTMLElement;
    expect(psi(drifted).style.background).toBe(rgb(resolve('red')));
    expect(psi(stable).style.background).toBe(rgb(resolve('green')));
    expect((drifted.querySelector('[data-col="samples"]') as HTMLElement).style.background).toBe('');
  });

  it('sorts by a column on click, toggling the direction', () => {
    render(<PsiTable rows={model.features} steps={DEFAULT_STEPS} scheme="thresholds" width={1000} height={300} />);
    fireEvent.click(screen.getByText('Feature'));
    expect(names()).toEqual(['feature_000', 'feature_001', 'feature_002', 'feature_003']);
    fireEvent.click(screen.getByText('Feature'));
    expect(names()).toEqual(['feature_003', 'feature_002', 'feature_001', 'feature_000']);
    fireEvent.click(screen.getByText('PSI'));
    expect(names()[0]).toBe('feature_001');
    expect(names()[3]).toBe('feature_003'); // no value: last either way
    expect(screen.getByText('PSI').closest('th')).toHaveAttribute('aria-sort', 'descending');
    fireEvent.click(screen.getByText('Samples'));
    fireEvent.click(screen.getByText('Samples'));
    expect(names()[0]).toBe('feature_003');
  });

  it('selects a feature on row click and drops columns when narrow', () => {
    const onSelect = jest.fn();
    render(
      <PsiTable
        rows={model.features}
        steps={DEFAULT_STEPS}
        scheme="thresholds"
        width={600}
        height={300}
        onSelect={onSelect}
      />,
    );
    fireEvent.click(screen.getAllByTestId('mlmon-table-row')[2]);
    expect(onSelect).toHaveBeenCalledWith('feature_002');
    expect(screen.queryByText('KS p')).toBeNull();
  });
});
