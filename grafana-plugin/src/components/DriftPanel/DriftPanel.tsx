import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { LoadingState, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { DEFAULT_STEPS } from '../../data/colors';
import { buildDistributionModel } from '../../data/distribution';
import DRIFT_PANEL_STATISTICS from '../../data/drift-panel-statistics.json';
import { buildDriftModel, effectiveSelection } from '../../data/model';
import { framesToSeries } from '../../data/series';
import { formatValue } from '../../data/format';
import { STATISTICS, type DriftOptions } from '../../types';
import { DistributionView } from '../DistributionView/DistributionView';
import { DriftHeatmap } from '../DriftHeatmap/DriftHeatmap';
import { PanelMessage } from '../PanelMessage/PanelMessage';
import { PsiTable } from '../PsiTable/PsiTable';
import { colorResolver, insufficientColors } from '../theme';

const HEADER_H = 24;

const EXAMPLE_QUERY = `{__name__=~"mlmon_feature_(${DRIFT_PANEL_STATISTICS.join('|')})", model="$model", window="$window"}`;

export function DriftPanel(props: PanelProps<DriftOptions>) {
  const { data, options, width, height, fieldConfig, replaceVariables, timeZone } = props;
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const [clicked, setClicked] = useState<string>();
  const resolved = useMemo(
    () => ({
      ...options,
      model: replaceVariables(options.model ?? ''),
      window: replaceVariables(options.window ?? ''),
      feature: replaceVariables(options.feature ?? ''),
    }),
    [options, replaceVariables],
  );
  const series = useMemo(() => framesToSeries(data.series), [data.series]);
  const model = useMemo(() => buildDriftModel(series, resolved), [series, resolved]);
  const selectedFeature = clicked ?? effectiveSelection(resolved.feature) ?? model.features[0]?.name;
  const dist = useMemo(
    () => buildDistributionModel(series, resolved, model.model, model.window, selectedFeature),
    [series, resolved, model.model, model.window, selectedFeature],
  );
  const steps = fieldConfig?.defaults?.thresholds?.steps?.length
    ? fieldConfig.defaults.thresholds.steps
    : DEFAULT_STEPS;

  const errors = data.errors ?? (data.error ? [data.error] : []);
  if (data.state === LoadingState.Error || errors.length > 0) {
    return (
      <PanelMessage kind="error" title="The query failed">
        {errors.map((e, i) => (
          <div key={i}>
            {e.refId ? `${e.refId}: ` : ''}
            {e.message ?? 'unknown error'}
          </div>
        ))}
      </PanelMessage>
    );
  }
  const needsStats = options.viewMode !== 'distribution';
  if (series.length === 0 || (needsStats && model.features.length === 0)) {
    const metric = needsStats ? `mlmon_feature_${options.statistic}` : 'mlmon_feature_bin_ratio';
    return (
      <PanelMessage kind="empty" title={series.length === 0 ? 'No data' : `No ${metric} series`}>
        The panel needs <code>{metric}</code> from mlmon-exporter. Add a range query such as{' '}
        <code>{EXAMPLE_QUERY}</code>, plus <code>mlmon_feature_info</code>,{' '}
        <code>mlmon_feature_reference_bin_ratio{'{model="$model"}'}</code> and{' '}
        <code>mlmon_feature_bin_ratio{'{model="$model", window="$window"}'}</code> for the distribution view.
        {model.missing.length > 0 && series.length > 0 && <div>Missing: {model.missing.join(', ')}</div>}
      </PanelMessage>
    );
  }

  const statLabel = STATISTICS.find((s) => s.value === options.statistic)?.label ?? options.statistic;
  const drifted = model.features.filter((f) => f.status === 'drift').length;
  const bodyH = Math.max(40, height - HEADER_H);
  const resolve = colorResolver(theme);
  const hatch = insufficientColors(theme);
  const header = (
    <div className={styles.header} style={{ height: HEADER_H }}>
      <span data-testid="mlmon-summary">
        {model.model ?? 'all models'} · {model.window ?? 'any window'} · {statLabel} · {drifted}/{model.features.length}{' '}
        drifted
      </span>
      <span className={styles.legend}>
        {steps.map((s, i) => (
          <span key={i}>
            <i style={{ background: resolve(s.color) }} />
            {i === 0 ? `< ${formatValue(steps[1]?.value ?? Infinity)}` : `≥ ${formatValue(s.value)}`}
          </span>
        ))}
        <span>
          <i style={{ background: `repeating-linear-gradient(45deg, ${hatch.base} 0 3px, ${hatch.stripe} 3px 4px)` }} />
          insufficient data
        </span>
      </span>
    </div>
  );
  const heatmap = (w: number, h: number) => (
    <DriftHeatmap
      model={model}
      steps={steps}
      scheme={options.colorScheme}
      width={w}
      height={h}
      selected={selectedFeature}
      onSelect={setClicked}
      timeZone={timeZone}
    />
  );
  const table = (w: number, h: number) => (
    <PsiTable
      rows={model.features}
      steps={steps}
      scheme={options.colorScheme}
      width={w}
      height={h}
      selected={selectedFeature}
      onSelect={setClicked}
    />
  );
  const distribution = (w: number, h: number) => (
    <DistributionView dist={dist} mode={options.distributionColor} width={w} height={h} timeZone={timeZone} />
  );

  let body: React.ReactNode;
  switch (options.viewMode) {
    case 'heatmap':
      body = heatmap(width, bodyH);
      break;
    case 'table':
      body = table(width, bodyH);
      break;
    case 'distribution':
      body = distribution(width, bodyH);
      break;
    default: {
      const topH = Math.round(bodyH * 0.5);
      const bottomH = bodyH - topH - 8;
      const tableW = width >= 900 ? Math.round(width * 0.55) : width;
      const sideBySide = width >= 900;
      body = (
        <>
          {heatmap(width, topH)}
          <div className={styles.bottom} style={{ height: bottomH }}>
            {table(tableW, sideBySide ? bottomH : Math.round(bottomH / 2))}
            {sideBySide
              ? distribution(width - tableW - 12, bottomH)
              : distribution(width, bottomH - Math.round(bottomH / 2))}
          </div>
        </>
      );
    }
  }
  return (
    <div className={styles.wrap} style={{ width, height }} data-testid="mlmon-panel">
      {header}
      {body}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
  header: css({
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: theme.spacing(2),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  }),
  legend: css({
    display: 'flex',
    gap: theme.spacing(1.5),
    i: { display: 'inline-block', width: 10, height: 10, marginRight: 4, verticalAlign: 'middle', borderRadius: 2 },
  }),
  bottom: css({ display: 'flex', flexWrap: 'wrap', gap: 12, marginTop: 8 }),
});
