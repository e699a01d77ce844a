import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, type Threshold } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { DriftModel } from '../../data/model';
import { formatValue } from '../../data/format';
import { STATISTICS, STATUS_TEXT, type ColorScheme } from '../../types';
import { colorResolver, insufficientColors } from '../theme';
import { cellAt, drawHeatmap, heatmapLayout } from './draw';

export interface DriftHeatmapProps {
  model: DriftModel;
  steps: Threshold[];
  scheme: ColorScheme;
  width: number;
  height: number;
  selected?: string;
  onSelect?: (feature: string) => void;
  timeZone?: string;
}

const AXIS_H = 18;

/** One row per feature, one column per time step, on a canvas (no DOM node per cell). */
export function DriftHeatmap({ model, steps, scheme, width, height, selected, onSelect, timeZone }: DriftHeatmapProps) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ row: number; col: number; x: number; y: number }>();
  const labelW = Math.min(180, Math.max(60, Math.round(width * 0.22)));
  const plotW = Math.max(10, width - labelW - 4);
  const plotH = Math.max(10, height - AXIS_H);
  const layout = useMemo(
    () => heatmapLayout(plotW, plotH, model.features.length, model.times.length),
    [plotW, plotH, model.features.length, model.times.length],
  );

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
    canvas.width = Math.round(plotW * dpr);
    canvas.height = Math.round(plotH * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawHeatmap(
      ctx,
      model,
      layout,
      {
        resolve: colorResolver(theme),
        steps,
        scheme,
        insufficient: insufficientColors(theme),
        selection: theme.colors.text.primary,
      },
      selected,
    );
  }, [model, layout, steps, scheme, theme, selected, plotW, plotH]);

  const statLabel = STATISTICS.find((s) => s.value === model.statistic)?.label ?? model.statistic;
  const fmtTime = (t: number) => dateTimeFormat(t, { format: 'HH:mm:ss', timeZone });
  const ticks = useMemo(() => {
    const n = model.times.length;
    if (n === 0) return [];
    const count = Math.max(1, Math.min(n, Math.floor(plotW / 90)));
    return Array.from({ length: count }, (_, i) => Math.round((i * (n - 1)) / Math.max(1, count - 1)));
  }, [model.times.length, plotW]);

  const showLabels = layout.cellH >= 9;
  const cell = hover ? model.features[hover.row] : undefined;
  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const at = cellAt(layout, e.clientX - rect.left, e.clientY - rect.top);
    setHover(at ? { ...at, x: e.clientX - rect.left, y: e.clientY - rect.top } : undefined);
  };
  const onClick = () => {
    if (hover && onSelect) onSelect(model.features[hover.row].name);
  };

  return (
    <div className={styles.wrap} style={{ width, height }} data-testid="mlmon-heatmap">
      <div className={styles.labels} style={{ width: labelW, height: plotH }}>
        {model.features.map((f, i) => (
          <div
            key={f.name}
            className={styles.label}
            data-feature={f.name}
            data-testid="mlmon-heatmap-row"
            title={`${f.name}: ${statLabel} ${formatValue(f.current)}${f.status ? ` (${STATUS_TEXT[f.status]})` : ''}`}
            style={{ top: i * layout.cellH, height: layout.cellH, lineHeight: `${layout.cellH}px` }}
            onClick={() => onSelect?.(f.name)}
          >
            {showLabels ? f.name : ''}
          </div>
        ))}
      </div>
      <div className={styles.plot} style={{ left: labelW + 4, width: plotW, height: plotH }}>
        <canvas
          ref={canvasRef}
          style={{ width: plotW, height: plotH, display: 'block', cursor: onSelect ? 'pointer' : 'default' }}
          data-testid="mlmon-heatmap-canvas"
          data-rows={model.features.length}
          data-cols={model.times.length}
          aria-label={`${statLabel} heatmap: ${model.features.length} features × ${model.times.length} time steps`}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(undefined)}
          onClick={onClick}
        />
        {hover && cell && (
          <div
            className={styles.tooltip}
            role="tooltip"
            style={{
              left: Math.min(hover.x + 12, Math.max(0, plotW - 220)),
              top: Math.min(hover.y + 12, Math.max(0, plotH - 90)),
            }}
          >
            <div className={styles.tooltipTitle}>{cell.name}</div>
            <div>{fmtTime(model.times[hover.col])}</div>
            {cell.insufficient[hover.col] ? (
              <div>insufficient data (samples {formatValue(cell.samples[hover.col], 'count')})</div>
            ) : (
              <>
                <div>
                  {statLabel}: <b>{formatValue(cell.values[hover.col])}</b>
                </div>
                <div>samples: {formatValue(cell.samples[hover.col], 'count')}</div>
              </>
            )}
          </div>
        )}
      </div>
      <div className={styles.axis} style={{ left: labelW + 4, width: plotW, top: plotH }}>
        {ticks.map((i) => (
          <span
            key={i}
            className={styles.tick}
            style={{ left: (i + 0.5) * layout.cellW, transform: `translateX(${i === 0 ? '0' : '-50%'})` }}
          >
            {fmtTime(model.times[i])}
          </span>
        ))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ position: 'relative', overflow: 'hidden' }),
  labels: css({ position: 'absolute', left: 0, top: 0, overflow: 'hidden' }),
  label: css({
    position: 'absolute',
    left: 0,
    right: 0,
    paddingRight: theme.spacing(1),
    textAlign: 'right',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    cursor: 'pointer',
    '&:hover': { color: theme.colors.text.primary },
  }),
  plot: css({ position: 'absolute', top: 0 }),
  axis: css({ position: 'absolute', height: AXIS_H }),
  tick: css({
    position: 'absolute',
    top: 2,
    whiteSpace: 'nowrap',
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
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
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
  }),
  tooltipTitle: css({ fontWeight: theme.typography.fontWeightMedium }),
});
