import React from 'react';
import { fireEvent, screen } from '@testing-library/react';
import { LoadingState } from '@grafana/data';
import { syntheticFrames } from '../../test-utils/frames';
import { panelProps, renderPanel } from '../../test-utils/render';
import { DriftPanel } from './DriftPanel';

const frames = syntheticFrames({ features: 6, steps: 12, drifted: [4], insufficient: [5], withBins: true });

describe('DriftPanel', () => {
  it('shows heatmap, table and distribution of the worst feature in the overview', () => {
    renderPanel(panelProps(frames));
    expect(screen.getByTestId('mlmon-heatmap')).toBeInTheDocument();
    expect(screen.getAllByTestId('mlmon-table-row')).toHaveLength(6);
    expect(screen.getByTestId('mlmon-distribution-feature')).toHaveTextContent('feature_004');
    expect(screen.getByTestId('mlmon-summary')).toHaveTextContent(
      'demo-credit · 5m · PSI — 1 drift · 0 investigate · 4 stable · 1 not judged',
    );
    expect(screen.getAllByText('insufficient data')).toHaveLength(1); // the status column
  });

  it('switches the distribution to the clicked feature', () => {
    renderPanel(panelProps(frames));
    fireEvent.click(screen.getAllByTestId('mlmon-table-row').find((r) => r.dataset.feature === 'feature_002')!);
    expect(screen.getByTestId('mlmon-distribution-feature')).toHaveTextContent('feature_002');
  });

  it('follows option changes: view mode, top N, statistic, feature variable', () => {
    const { rerender } = renderPanel(panelProps(frames, { viewMode: 'table' }));
    expect(screen.queryByTestId('mlmon-heatmap')).toBeNull();
    expect(screen.getAllByTestId('mlmon-table-row')).toHaveLength(6);
    rerender(<DriftPanel {...panelProps(frames, { viewMode: 'heatmap', topN: 2 })} />);
    expect(screen.getByTestId('mlmon-show-all')).toHaveTextContent('Show all 6');
    expect(screen.queryByTestId('mlmon-table')).toBeNull();
    expect(screen.getAllByTestId('mlmon-heatmap-row')).toHaveLength(2);
    rerender(<DriftPanel {...panelProps(frames, { viewMode: 'heatmap', statistic: 'ks_statistic' })} />);
    expect(screen.getByTestId('mlmon-summary')).toHaveTextContent('KS');
    rerender(
      <DriftPanel
        {...panelProps(
          frames,
          { viewMode: 'distribution', feature: '$feature' },
          { replaceVariables: (s: string) => s.replace('$feature', 'feature_001') },
        )}
      />,
    );
    expect(screen.getByTestId('mlmon-distribution-feature')).toHaveTextContent('feature_001');
  });

  it('never reports features without enough data as judged', () => {
    const starved = syntheticFrames({ features: 6, steps: 4, insufficient: [0, 1, 2, 3, 4, 5] });
    renderPanel(panelProps(starved));
    expect(screen.getByTestId('mlmon-summary')).toHaveTextContent('no feature has enough data yet (6 of 6)');
    expect(screen.getByTestId('mlmon-summary')).not.toHaveTextContent(/\d+ drift/);
  });

  it('sizes the overview from the panel: tabs on a small panel, three sections on a large one', () => {
    const { rerender } = renderPanel(panelProps(frames, {}, { width: 400, height: 300 }));
    expect(screen.getByTestId('mlmon-panel')).toHaveAttribute('data-arrangement', 'tabs');
    expect(screen.queryByTestId('mlmon-table')).toBeNull();
    fireEvent.click(screen.getByTestId('mlmon-tab-table'));
    expect(screen.getAllByTestId('mlmon-table-row')).toHaveLength(6);
    rerender(<DriftPanel {...panelProps(frames, {}, { width: 1600, height: 900 })} />);
    expect(screen.getByTestId('mlmon-panel')).toHaveAttribute('data-arrangement', 'rows');
    rerender(<DriftPanel {...panelProps(frames, { layout: 'columns' }, { width: 1600, height: 900 })} />);
    expect(screen.getByTestId('mlmon-panel')).toHaveAttribute('data-arrangement', 'columns');
  });

  it('keeps a section that did not fit reachable by a tab on a wide, short panel', () => {
    renderPanel(panelProps(frames, {}, { width: 1800, height: 330 }));
    expect(screen.getByTestId('mlmon-panel')).toHaveAttribute('data-arrangement', 'rows');
    expect(screen.getByTestId('mlmon-table')).toBeInTheDocument();
    expect(screen.queryByTestId('mlmon-distribution')).toBeNull();
    fireEvent.click(screen.getByTestId('mlmon-tab-distribution'));
    expect(screen.getByTestId('mlmon-distribution-feature')).toHaveTextContent('feature_004');
    fireEvent.click(screen.getByTestId('mlmon-tab-overview'));
    expect(screen.getByTestId('mlmon-table')).toBeInTheDocument();
  });

  it('filters by the model variable', () => {
    const two = [...frames, ...syntheticFrames({ features: 2, steps: 12, model: 'other' })];
    renderPanel(panelProps(two, {}, { replaceVariables: (s: string) => s.replace('$model', 'other') }));
    expect(screen.getByTestId('mlmon-summary')).toHaveTextContent('other');
    expect(screen.getAllByTestId('mlmon-table-row')).toHaveLength(2);
  });

  it('says which query is missing when there is no data', () => {
    renderPanel(panelProps([]));
    expect(screen.getByTestId('mlmon-empty')).toHaveTextContent('No data');
    expect(screen.getByTestId('mlmon-empty')).toHaveTextContent('mlmon_feature_psi');
  });

  it('names the missing statistic when other metrics are there', () => {
    const noKs = frames.filter((f) => f.fields[1].labels?.['__name__'] === 'mlmon_feature_bin_ratio');
    renderPanel(panelProps(noKs, { statistic: 'ks_statistic' }));
    expect(screen.getByTestId('mlmon-empty')).toHaveTextContent('No mlmon_feature_ks_statistic series');
  });

  it('shows the query error', () => {
    const props = panelProps([]);
    props.data = {
      ...props.data,
      state: LoadingState.Error,
      errors: [{ refId: 'A', message: 'bad_data: parse error' }],
    };
    renderPanel(props);
    expect(screen.getByRole('alert')).toHaveTextContent('A: bad_data: parse error');
  });
});
