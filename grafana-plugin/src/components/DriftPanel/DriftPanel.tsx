import React, { useMemo, useState } from 'react';
import { css, cx } from '@emotion/css';
import { LoadingState, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { STATUS_GLYPH, levelColor, limitsFor } from '../../data/colors';
import { buildDistributionModel } from '../../data/distribution';
import DRIFT_PANEL_STATISTICS from '../../data/drift-panel-statistics.json';
import { formatLimit } from '../../data/format';
import { planOverview, type Box, type OverviewPlan, type Section } from '../../data/layout';
import { buildDriftModel, effectiveSelection, rowLimit, summarize } from '../../data/model';
import { formatEstimate, performanceEstimates } from '../../data/performance';
import { framesToSeries } from '../../data/series';
import { STATISTICS, defaultOptions, type DriftOptions } from '../../types';
import { DistributionView } from '../DistributionView/DistributionView';
import { DriftHeatmap } from '../DriftHeatmap/DriftHeatmap';
import { PanelMessage } from '../PanelMessage/PanelMessage';
import { PsiTable } from '../PsiTable/PsiTable';
import { colorResolver, insufficientColors } from '../theme';

const LINE_H = 22;
/** Below this width the header's legend gets a line of its own. */
const ONE_LINE_MIN_W = 900;

const EXAMPLE_QUERY = `{__name__=~"mlmon_feature_(${DRIFT_PANEL_STATISTICS.join('|')})", model="$model", window="$window"}`;

/** Header tabs: a section alone, or the overview's arrangement of the sections that fit. */
type Tab = Section | 'overview';
const TAB_TITLE: Record<Tab, string> = {
  overview: 'Overview',
  heatmap: 'Heatmap',
  table: 'Table',
  distribution: 'Distribution',
};

export function DriftPanel(props: PanelProps<DriftOptions>) {
  const { data, width, height, replaceVariables, timeZone } = props;
  const options = useMemo(() => ({ ...defaultOptions, ...props.options }), [props.options]);
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const [clicked, setClicked] = useState<string>();
  const [tab, setTab] = useState<Tab>();
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

  const estimates = useMemo(
    () => performanceEstimates(series, model.model, model.window),
    [series, model.model, model.window],
  );

  const errors = data.errors ?? (data.error ? [data.error] : []);
  if (data.state === LoadingState.Error || errors.length > 0) {
    return (
      <PanelMessage kind="error" title="The query failed" width={width} height={height}>
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
      <PanelMessage
        kind="empty"
        title={series.length === 0 ? 'No data' : `No ${metric} series`}
        width={width}
        height={height}
      >
        The panel needs <code>{metric}</code> from mlmon-exporter. Add a range query such as{' '}
        <code>{EXAMPLE_QUERY}</code>, plus <code>mlmon_feature_info</code>,{' '}
        <code>mlmon_feature_reference_bin_ratio{'{model="$model"}'}</code> and{' '}
        <code>mlmon_feature_bin_ratio{'{model="$model", window="$window"}'}</code> for the distribution view.
        {model.missing.length > 0 && series.length > 0 && <div>Missing: {model.missing.join(', ')}</div>}
      </PanelMessage>
    );
  }

  const statLabel = STATISTICS.find((s) => s.value === options.statistic)?.label ?? options.statistic;
  const limits = limitsFor(options.thresholds, options.statistic);
  const counts = summarize(model.features);
  const resolve = colorResolver(theme);
  const hatch = insufficientColors(theme);
  const limit = rowLimit(model.features.length, options.topN);
  const twoLines = width < ONE_LINE_MIN_W;
  const narrow = width < 560;
  const planFor = (h: number): OverviewPlan =>
    options.viewMode === 'overview'
      ? planOverview(width, h, limit, options.layout, limit < model.features.length)
      : { arrangement: 'single', boxes: { [options.viewMode]: { x: 0, y: 0, w: width, h } }, hidden: [] };
  let headerH = twoLines ? 2 * LINE_H : LINE_H;
  let plan = planFor(height - headerH - 4);
  // On a narrow panel the tabs take a line of their own: summary, tabs, legend.
  if (narrow && plan.hidden.length > 0) {
    headerH = 3 * LINE_H;
    plan = planFor(height - headerH - 4);
  }
  const bodyH = Math.max(40, height - headerH - 4);
  // Sections that did not fit stay reachable: tabs for every section on a small panel, else the
  // overview plus the sections it left out.
  const single = plan.arrangement === 'single';
  const tabList: Tab[] =
    plan.hidden.length === 0 ? [] : single ? ['heatmap', 'table', 'distribution'] : ['overview', ...plan.hidden];
  const active: Tab | undefined =
    tabList.length === 0 ? undefined : tab && tabList.includes(tab) ? tab : single ? 'heatmap' : 'overview';
  const boxes: Partial<Record<Section, Box>> =
    active && active !== 'overview' ? { [active]: { x: 0, y: 0, w: width, h: bodyH } } : plan.boxes;
  const colour = (l: 'stable' | 'investigate' | 'drift') => levelColor(l, options.palette, resolve);

  // Narrow panels keep the counts and drop the model and window (the dashboard's variables show them).
  const scope = narrow ? statLabel : [model.model ?? 'all models', model.window ?? 'any window', statLabel].join(' · ');
  const parts = (['drift', 'investigate', 'stable'] as const)
    .filter((k) => !narrow || counts[k] > 0)
    .map((k) => `${counts[k]} ${k}`);
  if (counts.unjudged > 0)
    parts.push(width < 1100 ? `${counts.unjudged} not judged` : `${counts.unjudged} not judged (too little data)`);
  const verdict =
    counts.judged === 0
      ? `no feature has enough data yet (${counts.unjudged} of ${model.features.length})`
      : parts.join(' · ');
  const summary = (
    <span
      className={styles.summary}
      style={twoLines ? { flexBasis: '100%' } : undefined}
      data-testid="mlmon-summary"
      title={`${scope} — ${verdict}`}
    >
      {scope} — {verdict}
    </span>
  );
  // Label-free performance estimates (CBPE) beside the realised values, when the query has them.
  const performance = estimates.length > 0 && (
    <span className={styles.summary} data-testid="mlmon-performance" title={estimates.map(formatEstimate).join('\n')}>
      {estimates.slice(0, 2).map(formatEstimate).join(' · ')}
    </span>
  );
  const tabs = tabList.length > 0 && (
    <span className={styles.tabs} role="tablist">
      {tabList.map((s) => (
        <button
          key={s}
          type="button"
          role="tab"
          aria-selected={s === active}
          className={cx(styles.tab, s === active && styles.tabActive)}
          onClick={() => setTab(s)}
          data-testid={`mlmon-tab-${s}`}
        >
          {TAB_TITLE[s]}
        </button>
      ))}
    </span>
  );
  const legend = (
    <span className={styles.legend} data-testid="mlmon-legend">
      <span>
        <i style={{ background: colour('stable') }} />
        {STATUS_GLYPH.stable} ≤ {formatLimit(limits.investigate)}
      </span>
      <span>
        <i style={{ background: colour('investigate') }} />
        {STATUS_GLYPH.investigate} ≤ {formatLimit(limits.drift)}
      </span>
      <span>
        <i style={{ background: colour('drift') }} />
        {STATUS_GLYPH.drift} &gt; {formatLimit(limits.drift)}
      </span>
      <span>
        <i style={{ background: `repeating-linear-gradient(45deg, ${hatch.base} 0 3px, ${hatch.stripe} 3px 4px)` }} />
        too little data
      </span>
    </span>
  );

  const section = (s: Section, b: Box) => {
    const style = { left: b.x, top: b.y, width: b.w, height: b.h };
    // What the heatmap and the table share: colours, size and the selected feature.
    const shared = {
      palette: options.palette,
      scheme: options.colorScheme,
      width: b.w,
      height: b.h,
      selected: selectedFeature,
      onSelect: setClicked,
    };
    let content: React.ReactNode;
    if (s === 'heatmap')
      content = <DriftHeatmap model={model} limit={limit} limits={limits} timeZone={timeZone} {...shared} />;
    else if (s === 'table')
      content = (
        <PsiTable rows={model.features} statistic={options.statistic} thresholds={options.thresholds} {...shared} />
      );
    else
      content = (
        <DistributionView dist={dist} mode={options.distributionColor} width={b.w} height={b.h} timeZone={timeZone} />
      );
    return (
      <div key={s} className={styles.section} style={style} data-section={s}>
        {content}
      </div>
    );
  };

  return (
    <div
      className={styles.wrap}
      style={{ width, height }}
      data-testid="mlmon-panel"
      data-arrangement={active && active !== 'overview' ? 'tabs' : plan.arrangement}
    >
      <div className={styles.header} style={{ height: headerH, flexWrap: twoLines ? 'wrap' : 'nowrap' }}>
        {summary}
        {performance}
        {tabs}
        {legend}
      </div>
      <div className={styles.body} style={{ height: bodyH }}>
        {(Object.entries(boxes) as Array<[Section, Box]>).map(([s, b]) => section(s, b))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'flex', flexDirection: 'column', gap: 4, overflow: 'hidden' }),
  header: css({
    display: 'flex',
    alignItems: 'center',
    columnGap: theme.spacing(2),
    fontSize: 12,
    lineHeight: `${LINE_H}px`,
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  }),
  summary: css({
    flex: '1 1 0',
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    color: theme.colors.text.primary,
  }),
  legend: css({
    display: 'flex',
    flex: 'none',
    gap: theme.spacing(1.5),
    i: { display: 'inline-block', width: 10, height: 10, marginRight: 4, verticalAlign: 'middle', borderRadius: 2 },
  }),
  tabs: css({ display: 'flex', flex: 'none', gap: 2 }),
  tab: css({
    background: 'none',
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.secondary,
    fontSize: 12,
    lineHeight: '16px',
    padding: theme.spacing(0, 0.75),
    cursor: 'pointer',
  }),
  tabActive: css({ color: theme.colors.text.primary, borderColor: theme.colors.primary.border }),
  body: css({ position: 'relative' }),
  section: css({ position: 'absolute' }),
});
