import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { createTheme } from '@grafana/data';
import { levelColor } from '../../data/colors';
import { buildDriftModel } from '../../data/model';
import { framesToSeries } from '../../data/series';
import { syntheticFrames } from '../../test-utils/frames';
import { opts } from '../../test-utils/options';
import { DEFAULT_THRESHOLDS } from '../../types';
import { colorResolver } from '../theme';
import { PsiTable, type PsiTableProps } from './PsiTable';

const resolve = colorResolver(createTheme({ colors: { mode: 'dark' } }));
const model = buildDriftModel(
  framesToSeries(syntheticFrames({ features: 5, steps: 8, drifted: [1], insufficient: [3] })),
  opts(),
);
const base: PsiTableProps = {
  rows: model.features,
  statistic: 'psi',
  thresholds: DEFAULT_THRESHOLDS,
  palette: 'colorblind',
  scheme: 'thresholds',
  width: 1100,
  height: 300,
};
const rows = () => screen.getAllByTestId('mlmon-table-row');
const names = () => rows().map((r) => r.dataset.feature);
const row = (name: string) => rows().find((r) => r.dataset.feature === name)!;
const col = (r: HTMLElement, c: string) => r.querySelector(`[data-col="${c}"]`) as HTMLElement;
/** Computed colours come back as rgb(); compare through the DOM's own conversion. */
const rgb = (hex: string) => {
  const el = document.createElement('div');
  el.style.background = hex;
  return el.style.background;
};

describe('PsiTable', () => {
  it('numbers the drifted features with the largest drift scores, as the alerts name them', () => {
    const withCause = buildDriftModel(
      framesToSeries(syntheticFrames({ features: 5, steps: 8, drifted: [1, 2], withCause: true })),
      opts(),
    );
    render(<PsiTable {...base} rows={withCause.features} />);
    const badges = screen.getAllByTestId('mlmon-feature-rank');
    expect(badges.map((b) => b.closest('tr')!.dataset.feature)).toEqual(['feature_001', 'feature_002']);
    expect(badges.map((b) => b.textContent)).toEqual(['1', '2']);
    expect(badges[0].closest('td')!.title).toMatch(/^feature_001: #1 by drift score \(/);
  });

  it('renders a row per feature with the statistics, status shape and word, and a sparkline', () => {
    render(<PsiTable {...base} />);
    expect(names()).toEqual(['feature_001', 'feature_000', 'feature_004', 'feature_002', 'feature_003']);
    const drifted = row('feature_001');
    expect(within(drifted).getByText('drift')).toBeInTheDocument();
    expect(drifted).toHaveTextContent('◆');
    expect(within(drifted).getByText('5,000')).toBeInTheDocument();
    expect(within(drifted).getByTestId('mlmon-sparkline').querySelector('path')).not.toBeNull();
    expect(within(row('feature_003')).getByText('insufficient data')).toBeInTheDocument();
  });

  it('uses one number format per column and prints an underflowed p-value as < 1e-300', () => {
    render(<PsiTable {...base} />);
    for (const c of ['psi', 'ks_statistic', 'jensen_shannon_distance', 'wasserstein_normalized']) {
      expect(col(row('feature_000'), c).textContent).toMatch(/^\d+\.\d{3}$/);
    }
    expect(col(row('feature_001'), 'pvalue')).toHaveTextContent('< 1e-300');
    expect(col(row('feature_000'), 'pvalue')).toHaveTextContent('0.400');
  });

  it('shows the normalised Wasserstein (as the heatmap does) and n/a for statistics a categorical feature has not', () => {
    render(<PsiTable {...base} />);
    expect(screen.getByText('W₁/σ')).toBeInTheDocument();
    const categorical = row('feature_004');
    expect(col(categorical, 'ks_statistic')).toHaveTextContent('n/a');
    expect(col(categorical, 'wasserstein_normalized')).toHaveTextContent('n/a');
    expect(col(categorical, 'pvalue')).toHaveAttribute('title', 'chi-squared test');
  });

  it('colours each statistic on its own limits', () => {
    const jsInvestigate = { ...DEFAULT_THRESHOLDS, jensen_shannon_distance: { investigate: 0.01, drift: 0.5 } };
    render(<PsiTable {...base} thresholds={jsInvestigate} />);
    const stable = row('feature_000');
    expect(col(stable, 'psi').style.background).toBe(rgb(levelColor('stable', 'colorblind', resolve)));
    expect(col(stable, 'jensen_shannon_distance').style.background).toBe(
      rgb(levelColor('investigate', 'colorblind', resolve)),
    );
    expect(col(row('feature_001'), 'psi').style.background).toBe(rgb(levelColor('drift', 'colorblind', resolve)));
    expect(col(stable, 'samples').style.background).toBe('');
  });

  it('draws every sparkline on one scale', () => {
    render(<PsiTable {...base} />);
    const maxes = new Set(screen.getAllByTestId('mlmon-sparkline').map((s) => s.getAttribute('data-max')));
    expect(maxes.size).toBe(1);
    expect(Number([...maxes][0])).toBeCloseTo(model.features[0].max);
  });

  it('sorts by a column on click, toggling the direction', () => {
    render(<PsiTable {...base} />);
    fireEvent.click(screen.getByText('Feature'));
    expect(names()).toEqual(['feature_000', 'feature_001', 'feature_002', 'feature_003', 'feature_004']);
    fireEvent.click(screen.getByText('Feature'));
    expect(names()[0]).toBe('feature_004');
    fireEvent.click(screen.getByText('PSI'));
    expect(names()[0]).toBe('feature_001');
    expect(names()[4]).toBe('feature_003'); // no value: last either way
    expect(screen.getByText('PSI').closest('th')).toHaveAttribute('aria-sort', 'descending');
  });

  it('selects a feature on click or Enter, moves focus with the arrow keys, and drops columns when narrow', () => {
    const onSelect = jest.fn();
    render(<PsiTable {...base} width={420} onSelect={onSelect} />);
    fireEvent.click(rows()[3]);
    expect(onSelect).toHaveBeenLastCalledWith('feature_002');
    rows()[0].focus();
    fireEvent.keyDown(rows()[0], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows()[1]);
    fireEvent.keyDown(rows()[1], { key: 'Enter' });
    expect(onSelect).toHaveBeenLastCalledWith('feature_000');
    expect(screen.queryByText('Samples')).toBeNull();
    expect(screen.getByText('Status')).toBeInTheDocument();
  });
});
