import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { DELTA_FULL_SCALE, shareColor } from '../../data/colors';
import type { Bin, DistributionModel } from '../../data/distribution';
import { formatRatio, formatStat } from '../../data/format';
import { timeTicks } from '../../data/timeTicks';
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
const BIN_AXIS_H = 30;
const TIME_AXIS_H = 18;
const LEGEND_H = 20;

/** A top bin's contribution to the drift statistic, for its bar's title. */
function contributionText(b: Bin): string {
  return b.rank > 0 ? `; #${b.rank} by contribution to the drift statistic (${formatStat(b.contribution)})` : '';
}

/** A round upper bound for shares (5%, 10%, 20%, 25%, 50%, 100%). */
function niceShare(max: number): number {
  return [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1].find((s) => s >= max) ?? 1;
}

/** Reference against current bin shares (bars), and the window's share of each bin over time (canvas). */
export function DistributionView({ dist, mode, width, height, timeZone }: DistributionViewProps) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const resolve = colorResolver(theme);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<number>();
  const [cellHover, setCellHover] = useState<{ bin: number; col: number; x: number; y: number }>();
  const n = dist.bins.length;
  const longest = dist.bins.reduce((m, b) => Math.max(m, b.range.length), 4);
  const labelW = Math.round(Math.min(Math.max(48, longest * 6.5 + 14), width * 0.3, 140));
  const plotW = Math.max(20, width - labelW - 8);
  const bodyH = Math.max(60, height - TITLE_H);
  const barsH = Math.round(bodyH * 0.5);
  const heatH = Math.max(n, bodyH - barsH - TIME_AXIS_H - LEGEND_H - 6);
  const barPlotH = Math.max(10, barsH - BIN_AXIS_H);
  const dataMax = Math.max(1e-9, ...dist.bins.flatMap((b) => [b.reference, b.current].filter(Number.isFinite)));
  const yMax = niceShare(dataMax);
  const slot = n > 0 ? plotW / n : plotW;
  const refColor = theme.colors.text.secondary;
  const curColor = resolve('#4477AA');
  const markColor = theme.colors.error.text;
  const maxShare = useMemo(() => {
    let m = 0;
    for (const row of dist.shares) for (const v of row) if (v > m) m = v;
    return m;
  }, [dist.shares]);

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
    const r = colorResolver(theme);
    const xs = Array.from({ length: cols + 1 }, (_, c) => Math.round((c * plotW) / cols));
    const ys = Array.from({ length: n + 1 }, (_, b) => Math.round((b * heatH) / n));
    dist.shares.forEach((row, b) => {
      const gap = ys[b + 1] - ys[b] >= 6 ? 1 : 0;
      for (let c = 0; c < cols; c++) {
        const color = shareColor(row[c], dist.bins[b].reference, mode, r, maxShare);
        if (color === 'transparent') continue;
        ctx.fillStyle = color;
        ctx.fillRect(xs[c], ys[b], xs[c + 1] - xs[c], ys[b + 1] - ys[b] - gap);
      }
    });
  }, [dist, mode, theme, plotW, heatH, n, maxShare]);

  const times = dist.times;
  const ticks = useMemo(() => {
    const k = times.length;
    if (k < 2) return [];
    const dt = (times[k - 1] - times[0]) / (k - 1);
    const x = (t: number) => ((t - times[0]) / dt + 0.5) * (plotW / k);
    return timeTicks(times[0] - dt / 2, times[k - 1] + dt / 2, plotW, x, 0);
  }, [times, plotW]);

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
  // Room above the tallest bar for the number of a top bin.
  const headroom = dist.bins.some((b) => b.rank > 0) ? 18 : 6;
  const y = (v: number) => barPlotH - (Math.min(v, yMax) / yMax) * (barPlotH - headroom);
  // Every k-th bin labelled so that labels (~6 px a character) keep apart; the ends anchored inside.
  const everyBin = Math.max(1, Math.ceil((n * (Math.min(longest, 14) * 6 + 12)) / plotW));
  const rowH = heatH / n;
  const everyRow = Math.max(1, Math.ceil(12 / rowH));
  const legendW = Math.min(160, plotW * 0.45);
  return (
    <div className={styles.wrap} style={{ width, height }} data-testid="mlmon-distribution">
      <div className={styles.title}>
        <span className={styles.titleText}>
          Distribution of <b data-testid="mlmon-distribution-feature">{dist.feature}</b>
        </span>
        <span className={styles.legend}>
          <i style={{ background: refColor, opacity: 0.6 }} /> reference <i style={{ background: curColor }} /> current
        </span>
      </div>
      <svg
        width={width}
        height={barsH}
        style={{ display: 'block' }}
        role="img"
        aria-label={`reference and current bin shares of ${dist.feature}`}
      >
        {[0, yMax / 2, yMax].map((v) => (
          <g key={v} data-testid="mlmon-share-tick">
            <line x1={labelW} x2={labelW + plotW} y1={y(v)} y2={y(v)} stroke={theme.colors.border.weak} />
            <text x={labelW - 4} y={y(v) + 4} textAnchor="end" className={styles.axisText}>
              {`${Math.round(v * 1000) / 10}%`}
            </text>
          </g>
        ))}
        {dist.bins.map((b, i) => {
          const x = labelW + i * slot;
          const bw = Math.max(1, slot * 0.38);
          const ref = Number.isFinite(b.reference) ? y(b.reference) : barPlotH;
          const cur = Number.isFinite(b.current) ? y(b.current) : barPlotH;
          const label = b.range.length > 14 ? `${b.range.slice(0, 13)}…` : b.range;
          const markTop = Math.max(1, Math.min(ref, cur) - 15);
          return (
            <g
              key={b.bin}
              data-testid="mlmon-bin"
              data-bin={b.bin}
              data-rank={b.rank > 0 ? b.rank : undefined}
              onMouseEnter={() => setHover(i)}
              onMouseLeave={() => setHover(undefined)}
            >
              <rect x={x} y={0} width={slot} height={barsH} fill="transparent" />
              {b.rank > 0 && (
                // One of the bins that moved most: outlined, numbered above its bars.
                <>
                  <rect
                    x={x + slot * 0.05}
                    y={markTop}
                    width={slot * 0.9}
                    height={barPlotH - markTop}
                    fill="none"
                    stroke={markColor}
                    strokeWidth={1.5}
                    rx={2}
                  />
                  <text
                    x={x + slot / 2}
                    y={markTop + 11}
                    textAnchor="middle"
                    className={styles.rankText}
                    fill={markColor}
                  >
                    {b.rank}
                  </text>
                </>
              )}
              <rect x={x + slot * 0.1} y={ref} width={bw} height={barPlotH - ref} fill={refColor} opacity={0.6} />
              <rect x={x + slot * 0.1 + bw} y={cur} width={bw} height={barPlotH - cur} fill={curColor} />
              <title>{`${b.range}: reference ${formatRatio(b.reference)}, current ${formatRatio(b.current)}${contributionText(b)}`}</title>
              {(n - 1 - i) % everyBin === 0 && (
                <text
                  x={i === 0 ? labelW : i === n - 1 ? labelW + plotW : x + slot / 2}
                  y={barPlotH + 13}
                  textAnchor={i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle'}
                  className={styles.axisText}
                >
                  {label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {hovered && (
        <div className={styles.tooltip} role="tooltip" style={{ left: labelW + Math.min(hover! * slot, plotW - 200) }}>
          <b>{hovered.range}</b>
          <div>reference: {formatRatio(hovered.reference)}</div>
          <div>current: {formatRatio(hovered.current)}</div>
          {hovered.rank > 0 && (
            <div>
              contribution: {formatStat(hovered.contribution)} (#{hovered.rank} of the bins that moved)
            </div>
          )}
        </div>
      )}
      <div className={styles.heat} style={{ height: heatH }}>
        <div className={styles.heatLabels} style={{ width: labelW }}>
          {dist.bins.map((b, i) => (
            <div
              key={b.bin}
              style={{
                height: rowH,
                lineHeight: `${rowH}px`,
                ...(b.rank > 0 && { color: markColor, fontWeight: 500 }),
              }}
            >
              {i % everyRow === 0 && rowH * everyRow >= 10 ? b.range : ''}
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
            const yy = e.clientY - rect.top;
            const col = Math.floor((x / plotW) * times.length);
            const bin = Math.floor((yy / heatH) * n);
            setCellHover(col >= 0 && col < times.length && bin >= 0 && bin < n ? { bin, col, x, y: yy } : undefined);
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
            <div>{dateTimeFormat(times[cellHover.col], { format: 'YYYY-MM-DD HH:mm:ss', timeZone })}</div>
            <div>share: {formatRatio(dist.shares[cellHover.bin][cellHover.col])}</div>
            <div>reference: {formatRatio(cell.reference)}</div>
          </div>
        )}
      </div>
      <div className={styles.timeAxis} style={{ marginLeft: labelW + 8, width: plotW }}>
        {ticks.map((t) => (
          <span key={t.time} className={styles.tick} style={{ left: t.x }}>
            {dateTimeFormat(t.time, { format: t.format, timeZone })}
          </span>
        ))}
      </div>
      <div className={styles.scale} style={{ marginLeft: labelW + 8 }} data-testid="mlmon-share-legend">
        <span>{mode === 'delta' ? `−${DELTA_FULL_SCALE * 100} pts` : '0%'}</span>
        <i
          style={{
            width: legendW,
            background:
              mode === 'delta'
                ? `linear-gradient(90deg, ${resolve('#4477AA')}, ${resolve('transparent-bg')}, ${resolve('#BB5566')})`
                : `linear-gradient(90deg, ${resolve('transparent-bg')}, ${resolve('#4477AA')})`,
          }}
        />
        <span>
          {mode === 'delta' ? `+${DELTA_FULL_SCALE * 100} pts vs reference` : `${formatRatio(maxShare)} share`}
        </span>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ position: 'relative', overflow: 'hidden' }),
  empty: css({
    padding: theme.spacing(2),
    color: theme.colors.text.secondary,
    overflowWrap: 'anywhere',
    overflow: 'auto',
    code: { fontSize: '0.9em' },
  }),
  title: css({
    display: 'flex',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    height: TITLE_H,
    fontSize: 12,
    color: theme.colors.text.primary,
    whiteSpace: 'nowrap',
  }),
  titleText: css({ overflow: 'hidden', textOverflow: 'ellipsis' }),
  legend: css({
    color: theme.colors.text.secondary,
    i: { display: 'inline-block', width: 10, height: 10, marginLeft: theme.spacing(1), verticalAlign: 'middle' },
  }),
  axisText: css({ fill: theme.colors.text.secondary, fontSize: 11 }),
  rankText: css({ fontSize: 11, fontWeight: theme.typography.fontWeightMedium }),
  heat: css({ display: 'flex', marginTop: 4 }),
  heatLabels: css({
    fontSize: 11,
    color: theme.colors.text.secondary,
    textAlign: 'right',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
  }),
  timeAxis: css({ position: 'relative', height: TIME_AXIS_H }),
  tick: css({
    position: 'absolute',
    top: 2,
    transform: 'translateX(-50%)',
    whiteSpace: 'nowrap',
    fontSize: 11,
    color: theme.colors.text.secondary,
  }),
  scale: css({
    display: 'flex',
    alignItems: 'center',
    gap: 6,
    height: LEGEND_H,
    fontSize: 11,
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    i: { display: 'inline-block', height: 8, border: `1px solid ${theme.colors.border.weak}` },
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
    fontSize: 12,
  }),
});
