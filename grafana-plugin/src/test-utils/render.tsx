import React from 'react';
import { render } from '@testing-library/react';
import {
  EventBusSrv,
  LoadingState,
  getDefaultTimeRange,
  type DataFrame,
  type FieldConfigSource,
  type PanelData,
  type PanelProps,
} from '@grafana/data';
import { DriftPanel } from '../components/DriftPanel/DriftPanel';
import type { DriftOptions } from '../types';
import { opts } from './options';

export function panelProps(
  series: DataFrame[],
  options: Partial<DriftOptions> = {},
  extra: Partial<PanelProps<DriftOptions>> = {},
): PanelProps<DriftOptions> {
  const data: PanelData = { state: LoadingState.Done, series, timeRange: getDefaultTimeRange() };
  const fieldConfig: FieldConfigSource = { defaults: {}, overrides: [] };
  return {
    id: 1,
    data,
    timeRange: data.timeRange,
    timeZone: 'utc',
    options: opts(options),
    fieldConfig,
    transparent: false,
    width: 1000,
    height: 600,
    renderCounter: 0,
    title: 'Drift',
    eventBus: new EventBusSrv(),
    replaceVariables: (s: string) => s,
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    onChangeTimeRange: () => {},
    ...extra,
  } as PanelProps<DriftOptions>;
}

export function renderPanel(props: PanelProps<DriftOptions>) {
  return render(<DriftPanel {...props} />);
}
