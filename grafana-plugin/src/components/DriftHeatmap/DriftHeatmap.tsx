import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { STATUS_GLYPH, statusColor } from '../../data/colors';
import { formatCount, formatStat } from '../../data/format';
import { HEATMAP_AXIS_H, HEATMAP_FOOTER_H, MIN_ROW_H, ROW_H } from '../../data/layout';
import type { DriftModel } from '../../data/model';
import { timeTicks } from '../../data/timeTicks';
import { STATISTICS, STATUS_TEXT, type ColorScheme, type Palette, type StatThresholds } from '../../types';
import { colorResolver, insufficientColors } from '../theme';
import { cellAt, drawHeatmap, heatmapGeometry } from './draw';

export interface DriftHeatmapProps {
  model: DriftModel;
  /** Rows shown before "show all" (the model's features are sorted worst first). */
  limit?: number;
  limits: StatThresholds;
  palette: Palette;
  scheme: ColorScheme;
  width: number;
  height: number;
  selected?: string;
  onSelect?: (feature: string) => void;
  timeZone?: string;
}

const AXIS_H = HEATMAP_AXIS_H;
const FOOTER_H = HEATMAP_FOOTER_H;
const CHAR_W = 7;

/** One row per feature, one column per time step, on a canvas (no DOM node per cell). */
export function DriftHeatmap(props: DriftHeatmapProps) {
  const { model, limits, palette, scheme, width, height, selected, onSelect, timeZone } = props;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const labelsRef = useRef<HTMLDivElement>(null);
  const [showAll, setShowAll] = useState(false);
  const [hover, setHover] = useState<{ row: number; col: number; x: number; y: number }>();
  const total = model.features.length;
  const limit = Math.min(total, props.limit ?? total);
  const rows = useMemo(
    () => (showAll ? model.features : model.features.slice(0, limit)),
    [model.features, showAll, limit],
  );
  const footer = limit < total;
  const longest = rows.reduce((m, f) => Math.max(m, f.name.length), 4);
  const labelW = Math.round(Math.min(Math.max(70, longest * CHAR_W + 26), Math.max(90, width * 0.35), 240));
  const plotW = Math.max(10, width - labelW - 6);
  const viewH = Math.max(MIN_ROW_H, height - AXIS_H - (footer ? FOOTER_H : 0));
  // Rows fill the height at up to ROW_H; below MIN_ROW_H the list scrolls instead of squashing.
  const rowH = Math.max(MIN_ROW_H, Math.min(ROW_H, Math.floor(viewH / Math.max(1, rows.length))));
  // The axis follows the last row when the rows do not fill the height.
  const axisTop = Math.min(viewH, rows.length * rowH);
  const geometry = useMemo(
    () => heatmapGeometry(plotW, rows.length, model.times.length, rowH),
    [plotW, rows.length, model.times.length, rowH],
  );
  const resolve = colorResolver(theme);
  const selectedIndex = rows.findIndex((f) => f.name === selected);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
    canvas.width = Math.round(geometry.width * dpr);
    canvas.height = Math.max(1, Math.round(geometry.height * dpr));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawHeatmap(
      ctx,
      rows,
      geometry,
      {
        resolve: colorResolver(theme),
        limits,
        palette,
        scheme,
        insufficient: insufficientColors(theme),
        selection: theme.colors.text.primary,
      },
      selectedIndex,
    );
  }, [rows, geometry, limits, palette, scheme, theme, selectedIndex]);

  const statLabel = STATISTICS.find((s) => s.value === model.statistic)?.label ?? model.statistic;
  const times = model.times;
  const n = times.length;
  const ticks = useMemo(() => {
    if (n < 2) return [];
    const colW = geometry.width / n;
    const dt = (times[n - 1] - times[0]) / (n - 1);
    const x = (t: number) => ((t - times[0]) / dt + 0.5) * colW;
    const offset = timeZone === 'utc' || timeZone === 'UTC' ? 0 : -new Date(times[0]).getTimezoneOffset() * 60_000;
    return timeTicks(times[0] - dt / 2, times[n - 1] + dt / 2, geometry.width, x, offset);
  }, [times, n, geometry.width, timeZone]);

  const cell = hover ? rows[hover.row] : undefined;
  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const at = cellAt(geometry, e.clientX - rect.left, e.clientY - rect.top);
    setHover(at ? { ...at, x: e.clientX - rect.left, y: e.clientY - rect.top } : undefined);
  };
  const focusRow = (i: number) => {
    const el = labelsRef.current?.querySelectorAll<HTMLElement>('[data-testid="mlmon-heatmap-row"]')[i];
    el?.focus();
  };
  const onKey = (i: number) => (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect?.(rows[i].name);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focusRow(Math.max(0, Math.min(rows.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))));
    }
  };

  return (
    <div className={styles.wrap} style={{ width, height }} data-testid="mlmon-heatmap">
      <div className={styles.scroll} style={{ height: viewH }} data-testid="mlmon-heatmap-scroll">
        <div className={styles.inner} style={{ height: geometry.height }}>
          <div ref={labelsRef} className={styles.labels} style={{ width: labelW }} role="list">
            {rows.map((f, i) => (
              <div
                key={f.name}
                className={cx(styles.label, f.name === selected && styles.selected)}
                data-feature={f.name}
                data-status={f.status ?? ''}
                data-testid="mlmon-heatmap-row"
                role="listitem"
                tabIndex={0}
                aria-label={`${f.name}: ${statLabel} ${formatStat(f.current)}, ${f.status ? STATUS_TEXT[f.status] : 'no status'}`}
                title={`${f.name}: ${statLabel} ${formatStat(f.current)}${f.status ? ` (${STATUS_TEXT[f.status]})` : ''}`}
                style={{ top: i * rowH, height: rowH - geometry.gap, lineHeight: `${rowH - geometry.gap}px` }}
                onClick={() => onSelect?.(f.name)}
                onKeyDown={onKey(i)}
              >
                <span className={styles.name}>{f.name}</span>
                <span className={styles.glyph} style={{ color: statusColor(f.status, palette, resolve) }} aria-hidden>
                  {f.status ? STATUS_GLYPH[f.status] : ''}
                </span>
              </div>
            ))}
          </div>
          <canvas
            ref={canvasRef}
            className={styles.canvas}
            style={{ left: labelW + 6, width: geometry.width, height: geometry.height }}
            data-testid="mlmon-heatmap-canvas"
            data-rows={rows.length}
            data-cols={n}
            data-row-height={rowH}
            aria-label={`${statLabel} heatmap: ${rows.length} features × ${n} time steps`}
            onMouseMove={onMove}
            onMouseLeave={() => setHover(undefined)}
            onClick={() => hover && onSelect?.(rows[hover.row].name)}
          />
        </div>
      </div>
      {hover && cell && (
        <div
          className={styles.tooltip}
          role="tooltip"
          style={{
            left: labelW + 6 + Math.min(hover.x + 12, Math.max(0, plotW - 200)),
            top: Math.min(hover.y + 12, Math.max(0, viewH - 80)),
          }}
        >
          <div className={styles.tooltipTitle}>{cell.name}</div>
          <div>{dateTimeFormat(times[hover.col], { format: 'YYYY-MM-DD HH:mm:ss', timeZone })}</div>
          {cell.insufficient[hover.col] ? (
            <div>insufficient data (samples {formatCount(cell.samples[hover.col])})</div>
          ) : (
            <>
              <div>
                {statLabel}: <b>{formatStat(cell.values[hover.col])}</b>
              </div>
              <div>samples: {formatCount(cell.samples[hover.col])}</div>
            </>
          )}
        </div>
      )}
      <div
        className={styles.axis}
        style={{ left: labelW + 6, width: geometry.width, top: axisTop }}
        data-testid="mlmon-time-axis"
      >
        {ticks.map((t) => (
          <span key={t.time} className={styles.tick} style={{ left: t.x }} data-testid="mlmon-time-tick">
            {dateTimeFormat(t.time, { format: t.format, timeZone })}
          </span>
        ))}
      </div>
      {footer && (
        <div className={styles.footer} style={{ top: axisTop + AXIS_H }}>
          <span>{showAll ? `All ${total} features` : `The ${limit} worst of ${total} features`}</span>
          <button
            type="button"
            className={styles.more}
            onClick={() => setShowAll((v) => !v)}
            data-testid="mlmon-show-all"
          >
            {showAll ? `Show the ${limit} worst` : `Show all ${total}`}
          </button>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ position: 'relative', overflow: 'hidden' }),
  scroll: css({ overflowY: 'auto', overflowX: 'hidden', position: 'relative' }),
  inner: css({ position: 'relative' }),
  labels: css({ position: 'absolute', left: 0, top: 0, bottom: 0 }),
  label: css({
    position: 'absolute',
    left: 0,
    right: 0,
    display: 'flex',
    justifyContent: 'flex-end',
    alignItems: 'center',
    gap: 4,
    whiteSpace: 'nowrap',
    fontSize: 12,
    color: theme.colors.text.primary,
    cursor: 'pointer',
    borderRadius: theme.shape.radius.default,
    '&:hover': { background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: -2 },
  }),
  selected: css({ fontWeight: theme.typography.fontWeightMedium, background: theme.colors.action.selected }),
  name: css({ overflow: 'hidden', textOverflow: 'ellipsis' }),
  glyph: css({ width: 12, flex: 'none', textAlign: 'center', fontSize: 11 }),
  canvas: css({ position: 'absolute', top: 0, display: 'block', cursor: 'pointer' }),
  axis: css({ position: 'absolute', height: AXIS_H, borderTop: `1px solid ${theme.colors.border.weak}` }),
  tick: css({
    position: 'absolute',
    top: 2,
    transform: 'translateX(-50%)',
    whiteSpace: 'nowrap',
    fontSize: 12,
    fontVariantNumeric: 'tabular-nums',
    color: theme.colors.text.secondary,
    '&::before': {
      content: '""',
      position: 'absolute',
      left: '50%',
      top: -3,
      height: 3,
      borderLeft: `1px solid ${theme.colors.border.medium}`,
    },
  }),
  footer: css({
    position: 'absolute',
    left: 0,
    right: 0,
    height: FOOTER_H,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    fontSize: 12,
    color: theme.colors.text.secondary,
  }),
  more: css({
    background: 'none',
    border: 'none',
    padding: 0,
    color: theme.colors.text.link,
    cursor: 'pointer',
    fontSize: 12,
    '&:hover': { textDecoration: 'underline' },
  }),
  tooltip: css({
    position: 'absolute',
    pointerEvents: 'none',
    zIndex: theme.zIndex.tooltip,
    minWidth: 160,
    padding: theme.spacing(0.75, 1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: 12,
    color: theme.colors.text.primary,
  }),
  tooltipTitle: css({ fontWeight: theme.typography.fontWeightMedium }),
});
