import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { shareColor } from '../../data/colors';
import type { DistributionModel } from '../../data/distribution';
import { formatValue } from '../../data/format';
import type { DistributionColor } from '../../types';
import { colorResolver } from '../theme';

export interface DistributionViewProps {
  dist: DistributionModel;
  mode: DistributionColor;
  width: number;
  height: number;
  timeZone?: string;
}

const TITLE_H = 22;
const AXIS_H = 34;

/** Reference against current bin shares (bars), and the window's share of each bin over time (canvas). */
export function DistributionView({ dist, mode, width, height, timeZone }: DistributionViewProps) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const resolve = colorResolver(theme);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<number>();
  const [cellHover, setCellHover] = useState<{ bin: number; col: number; x: number; y: number }>();
  const bodyH = Math.max(40, height - TITLE_H);
  const barsH = Math.round(bodyH * 0.55);
  const heatH = Math.max(20, bodyH - barsH - 4);
  const n = dist.bins.length;
  const labelW = 110;
  const plotW = Math.max(20, width - labelW - 8);
  const barPlotH = Math.max(10, barsH - AXIS_H);
  const max = Math.max(1e-9, ...dist.bins.flatMap((b) => [b.reference, b.current].filter(Number.isFinite)));
  const slot = n > 0 ? plotW / n : plotW;
  const refColor = theme.colors.text.secondary;
  const curColor = resolve('blue');

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
    canvas.width = Math.round(plotW * dpr);
    canvas.height = Math.round(heatH * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, plotW, heatH);
    const cols = dist.times.length;
    if (cols === 0 || n === 0) return;
    const cw = plotW / cols;
    const ch = heatH / n;
    let maxShare = 0;
    for (const row of dist.shares) for (const v of row) if (v > maxShare) maxShare = v;
    dist.shares.forEach((row, b) => {
      for (let c = 0; c < cols; c++) {
        const color = shareColor(row[c], dist.bins[b].reference, mode, resolve, maxShare);
        if (color === 'transparent') continue;
        ctx.fillStyle = color;
        ctx.fillRect(c * cw, b * ch, Math.max(1, cw), Math.max(1, ch - (ch >= 6 ? 1 : 0)));
      }
    });
    // resolve is rebuilt every render; the theme decides it.
  }, [dist, mode, theme, plotW, heatH, n]);

  if (dist.feature === undefined || n === 0) {
    return (
      <div className={styles.empty} style={{ width, height }} data-testid="mlmon-distribution">
        No bin metrics for this feature: add queries for <code>mlmon_feature_reference_bin_ratio</code> and{' '}
        <code>mlmon_feature_bin_ratio</code>.
      </div>
    );
  }
  const hovered = hover !== undefined ? dist.bins[hover] : undefined;
  const cell = cellHover ? dist.bins[cellHover.bin] : undefined;
  return (
    <div className={styles.wrap} style={{ width, height }} data-testid="mlmon-distribution">
      <div className={styles.title}>
        <span>
          Distribution of <b data-testid="mlmon-distribution-feature">{dist.feature}</b>
        </span>
        <span className={styles.legend}>
          <i style={{ background: refColor }} /> reference <i style={{ background: curColor }} /> current
        </span>
      </div>
      <svg width={width} height={barsH} role="img" aria-label={`reference and current bin shares of ${dist.feature}`}>
        <text x={labelW - 6} y={10} textAnchor="end" className={styles.axisText}>
          {formatValue(max, 'ratio')}
        </text>
        <line x1={labelW} x2={labelW + plotW} y1={barPlotH} y2={barPlotH} stroke={theme.colors.border.medium} />
        {dist.bins.map((b, i) => {
          const x = labelW + i * slot;
          const bw = Math.max(1, slot * 0.38);
          const rh = Number.isFinite(b.reference) ? (b.reference / max) * (barPlotH - 4) : 0;
          const ch = Number.isFinite(b.current) ? (b.current / max) * (barPlotH - 4) : 0;
          return (
            <g
              key={b.bin}
              data-testid="mlmon-bin"
              data-bin={b.bin}
              onMouseEnter={() => setHover(i)}
              onMouseLeave={() => setHover(undefined)}
            >
              <rect x={x} y={0} width={slot} height={barsH} fill="transparent" />
              <rect x={x + slot * 0.1} y={barPlotH - rh} width={bw} height={rh} fill={refColor} opacity={0.6} />
              <rect x={x + slot * 0.1 + bw} y={barPlotH - ch} width={bw} height={ch} fill={curColor} />
              <title>{`${b.range}: reference ${formatValue(b.reference, 'ratio')}, current ${formatValue(b.current, 'ratio')}`}</title>
              {(n <= 12 || i % Math.ceil(n / 12) === 0) && (
                <text
                  x={x + slot / 2}
                  y={barPlotH + 12}
                  textAnchor="middle"
                  className={styles.axisText}
                  transform={n > 6 ? `rotate(12 ${x + slot / 2} ${barPlotH + 12})` : undefined}
                >
                  {b.range.length > 18 ? `${b.range.slice(0, 17)}…` : b.range}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {hovered && (
        <div className={styles.tooltip} role="tooltip" style={{ left: labelW + Math.min(hover! * slot, plotW - 200) }}>
          <b>{hovered.range}</b>
          <div>reference: {formatValue(hovered.reference, 'ratio')}</div>
          <div>current: {formatValue(hovered.current, 'ratio')}</div>
        </div>
      )}
      <div className={styles.heat} style={{ height: heatH }}>
        <div className={styles.heatLabels} style={{ width: labelW }}>
          {dist.bins.map((b) => (
            <div key={b.bin} style={{ height: heatH / n, lineHeight: `${heatH / n}px` }}>
              {heatH / n >= 9 ? b.range : ''}
            </div>
          ))}
        </div>
        <canvas
          ref={canvasRef}
          data-testid="mlmon-distribution-canvas"
          style={{ width: plotW, height: heatH, marginLeft: 8 }}
          aria-label={`${dist.feature}: share of each bin over time (${mode === 'delta' ? 'minus reference' : 'share'})`}
          onMouseMove={(e) => {
            const rect = e.currentTarget.getBoundingClientRect();
            const x = e.clientX - rect.left;
            const y = e.clientY - rect.top;
            const col = Math.floor((x / plotW) * dist.times.length);
            const bin = Math.floor((y / heatH) * n);
            setCellHover(col >= 0 && col < dist.times.length && bin >= 0 && bin < n ? { bin, col, x, y } : undefined);
          }}
          onMouseLeave={() => setCellHover(undefined)}
        />
        {cellHover && cell && (
          <div
            className={styles.tooltip}
            role="tooltip"
            style={{ left: labelW + 8 + Math.min(cellHover.x + 10, plotW - 200), top: barsH + TITLE_H + cellHover.y }}
          >
            <b>{cell.range}</b>
            <div>{dateTimeFormat(dist.times[cellHover.col], { format: 'HH:mm:ss', timeZone })}</div>
            <div>share: {formatValue(dist.shares[cellHover.bin][cellHover.col], 'ratio')}</div>
            <div>reference: {formatValue(cell.reference, 'ratio')}</div>
          </div>
        )}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ position: 'relative', overflow: 'hidden' }),
  empty: css({ padding: theme.spacing(2), color: theme.colors.text.secondary, code: { fontSize: '0.9em' } }),
  title: css({
    display: 'flex',
    justifyContent: 'space-between',
    height: TITLE_H,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
  }),
  legend: css({
    color: theme.colors.text.secondary,
    i: { display: 'inline-block', width: 10, height: 10, marginLeft: theme.spacing(1), verticalAlign: 'middle' },
  }),
  axisText: css({ fill: theme.colors.text.secondary, fontSize: 10 }),
  heat: css({ display: 'flex', marginTop: 4 }),
  heatLabels: css({
    fontSize: 10,
    color: theme.colors.text.secondary,
    textAlign: 'right',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
  }),
  tooltip: css({
    position: 'absolute',
    top: TITLE_H,
    pointerEvents: 'none',
    zIndex: theme.zIndex.tooltip,
    padding: theme.spacing(0.75, 1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
