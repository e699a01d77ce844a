import React, { useMemo, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';
import { STATUS_GLYPH, limitsFor, statusColor, valueColor } from '../../data/colors';
import { formatCount, formatPValue, formatRatio, formatStat } from '../../data/format';
import type { FeatureRow, TableStat } from '../../data/model';
import {
  STATISTICS,
  STATUS_TEXT,
  type ColorScheme,
  type DriftOptions,
  type FeatureStatus,
  type Palette,
  type Statistic,
  type StatThresholds,
} from '../../types';
import { colorResolver } from '../theme';

type Key = 'name' | 'type' | 'status' | 'pvalue' | 'trend' | TableStat;

interface Column {
  key: Key;
  title: string;
  /** What the header's tooltip says. */
  description?: string;
  /** Width the column needs (px), to choose the columns that fit. */
  width: number;
  /** Lower comes first when the table is narrow. */
  priority: number;
}

const STAT_TITLE = Object.fromEntries(STATISTICS.map((s) => [s.value, s.label])) as Record<Statistic, string>;

export const COLUMNS: Column[] = [
  { key: 'name', title: 'Feature', width: 0, priority: 0 },
  { key: 'type', title: 'Type', width: 90, priority: 9 },
  { key: 'psi', title: 'PSI', description: 'Population stability index', width: 64, priority: 3 },
  { key: 'ks_statistic', title: 'KS', description: 'Kolmogorov-Smirnov D (numeric features)', width: 64, priority: 5 },
  { key: 'jensen_shannon_distance', title: 'JS', description: 'Jensen-Shannon distance', width: 64, priority: 4 },
  {
    key: 'wasserstein_normalized',
    title: 'W₁/σ',
    description: 'Wasserstein-1 in reference standard deviations (numeric features), as in the heatmap',
    width: 64,
    priority: 6,
  },
  {
    key: 'pvalue',
    title: 'p',
    description: 'p-value: KS test for numeric features, chi-squared for categorical ones',
    width: 76,
    priority: 7,
  },
  { key: 'missing_ratio', title: 'Missing', width: 68, priority: 8 },
  { key: 'samples', title: 'Samples', width: 74, priority: 6 },
  { key: 'status', title: 'Status', width: 132, priority: 1 },
  { key: 'trend', title: 'Trend', width: 100, priority: 2 },
];

const COLORED: Partial<Record<Key, Statistic>> = {
  psi: 'psi',
  ks_statistic: 'ks_statistic',
  jensen_shannon_distance: 'jensen_shannon_distance',
  wasserstein_normalized: 'wasserstein_normalized',
};
/** Statistics the exporter computes for numeric features only. */
const NUMERIC_ONLY = new Set<Key>(['ks_statistic', 'wasserstein_normalized']);

const STATUS_RANK: Record<FeatureStatus, number> = { drift: 3, investigate: 2, stable: 1, insufficient_data: 0 };

export interface PsiTableProps {
  rows: FeatureRow[];
  /** The statistic the trend sparklines draw. */
  statistic: Statistic;
  thresholds: DriftOptions['thresholds'];
  palette: Palette;
  scheme: ColorScheme;
  width: number;
  height: number;
  selected?: string;
  onSelect?: (feature: string) => void;
}

/** The feature's name, and for the top drifted features their place by drift score (as the alerts name them). */
function nameTitle(row: FeatureRow): string {
  return row.rank > 0 ? `${row.name}: #${row.rank} by drift score (${formatStat(row.score)})` : row.name;
}

function pValue(row: FeatureRow): number {
  return row.type === 'categorical' ? row.stats.chi2_pvalue : row.stats.ks_pvalue;
}

function sortValue(row: FeatureRow, key: Key): number | string {
  if (key === 'name' || key === 'type') return row[key];
  if (key === 'status') return row.status ? STATUS_RANK[row.status] : -1;
  if (key === 'pvalue') return pValue(row);
  if (key === 'trend') return row.max;
  return row.stats[key];
}

/** The columns that fit the width, in their reading order. */
export function visibleColumns(width: number, nameWidth: number): Column[] {
  let used = nameWidth;
  const chosen = new Set<Key>(['name']);
  for (const c of [...COLUMNS].sort((a, b) => a.priority - b.priority)) {
    if (c.key === 'name') continue;
    if (used + c.width > width) continue;
    used += c.width;
    chosen.add(c.key);
  }
  return COLUMNS.filter((c) => chosen.has(c.key));
}

/** Feature statistics, one row per feature, sortable by any column, each statistic coloured on its own limits. */
export function PsiTable(props: PsiTableProps) {
  const { rows, statistic, thresholds, palette, scheme, width, height, selected, onSelect } = props;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const resolve = colorResolver(theme);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>();
  const sorted = useMemo(() => {
    if (!sort) return rows;
    return [...rows].sort((a, b) => {
      const va = sortValue(a, sort.key);
      const vb = sortValue(b, sort.key);
      let d: number;
      if (typeof va === 'string' || typeof vb === 'string') d = String(va).localeCompare(String(vb));
      else if (Number.isNaN(va) || Number.isNaN(vb)) return Number.isNaN(va) ? (Number.isNaN(vb) ? 0 : 1) : -1;
      else d = va - vb;
      return (sort.desc ? -d : d) || a.name.localeCompare(b.name);
    });
  }, [rows, sort]);
  const longest = rows.reduce((m, r) => Math.max(m, r.name.length), 7);
  // Room for the rank badge of the top drifted features.
  const badge = rows.some((r) => r.rank > 0) ? 18 : 0;
  const nameWidth = Math.min(200 + badge, longest * 7 + 20 + badge);
  const columns = visibleColumns(width - 4, nameWidth);
  const limits = limitsFor(thresholds, statistic);
  // One scale for every sparkline: the largest value shown, and at least 1.5 × the drift limit.
  const scaleMax = useMemo(() => {
    let m = limits.drift * 1.5;
    for (const r of rows) for (const v of r.values) if (v > m) m = v;
    return m;
  }, [rows, limits.drift]);
  const onHeader = (key: Key) =>
    setSort((s) => (s?.key === key ? { key, desc: !s.desc } : { key, desc: key !== 'name' && key !== 'type' }));
  const onKey = (i: number, name: string) => (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect?.(name);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = Math.max(0, Math.min(sorted.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)));
      bodyRef.current?.querySelectorAll<HTMLElement>('tr')[next]?.focus();
    }
  };

  const cell = (row: FeatureRow, c: Column) => {
    switch (c.key) {
      case 'name':
        return (
          <td key={c.key} className={styles.name} title={nameTitle(row)} style={{ maxWidth: nameWidth }}>
            {row.rank > 0 && (
              <span className={styles.rank} data-testid="mlmon-feature-rank">
                {row.rank}
              </span>
            )}
            {row.name}
          </td>
        );
      case 'type':
        return <td key={c.key}>{row.type === 'unknown' ? '' : row.type}</td>;
      case 'status': {
        const color = statusColor(row.status, palette, resolve);
        return (
          <td key={c.key} data-status={row.status ?? ''}>
            {row.status && (
              <span className={styles.status} style={{ borderColor: color }}>
                <span style={{ color }} aria-hidden>
                  {STATUS_GLYPH[row.status]}
                </span>{' '}
                {STATUS_TEXT[row.status]}
              </span>
            )}
          </td>
        );
      }
      case 'trend':
        return (
          <td key={c.key} className={styles.trend}>
            <Sparkline
              values={row.values}
              max={scaleMax}
              limits={limits}
              color={theme.colors.text.primary}
              band={theme.colors.border.medium}
            />
          </td>
        );
      case 'pvalue': {
        const v = pValue(row);
        return (
          <td
            key={c.key}
            className={styles.num}
            data-col={c.key}
            title={row.type === 'categorical' ? 'chi-squared test' : 'KS test'}
          >
            {formatPValue(v)}
          </td>
        );
      }
      default: {
        const key = c.key as TableStat;
        if (row.type === 'categorical' && NUMERIC_ONLY.has(key)) {
          return (
            <td
              key={c.key}
              className={cx(styles.num, styles.na)}
              data-col={key}
              title="Not defined for categorical features"
            >
              n/a
            </td>
          );
        }
        const v = row.stats[key];
        const stat = COLORED[key];
        const insufficient = row.status === 'insufficient_data';
        const bg =
          stat && Number.isFinite(v) && !insufficient
            ? valueColor(v, limitsFor(thresholds, stat), palette, scheme, resolve)
            : undefined;
        const text = key === 'missing_ratio' ? formatRatio(v) : key === 'samples' ? formatCount(v) : formatStat(v);
        return (
          <td
            key={c.key}
            className={styles.num}
            data-col={key}
            style={bg ? { background: bg, color: theme.colors.getContrastText(bg) } : undefined}
          >
            {text}
          </td>
        );
      }
    }
  };

  return (
    <div className={styles.wrap} style={{ width, height }} data-testid="mlmon-table">
      <table className={styles.table}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                className={cx(styles.th, c.key !== 'name' && c.key !== 'status' && c.key !== 'type' && styles.thNum)}
                aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                title={
                  c.key === 'trend' ? `${STAT_TITLE[statistic]} over the range, one scale for all rows` : c.description
                }
              >
                <button type="button" className={styles.sortButton} onClick={() => onHeader(c.key)}>
                  {c.key === 'trend' ? `${STAT_TITLE[statistic]} trend` : c.title}
                  {sort?.key === c.key && <Icon name={sort.desc ? 'arrow-down' : 'arrow-up'} size="sm" />}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {sorted.map((row, i) => (
            <tr
              key={row.name}
              data-testid="mlmon-table-row"
              data-feature={row.name}
              tabIndex={0}
              aria-selected={row.name === selected}
              className={cx(styles.tr, row.name === selected && styles.selected)}
              onClick={() => onSelect?.(row.name)}
              onKeyDown={onKey(i, row.name)}
            >
              {columns.map((c) => cell(row, c))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The statistic over the range on a scale shared by every row (0 … max), with the investigate and
 * drift limits drawn as a band, so that a flat stable feature looks flat. Absent values are gaps.
 */
export function Sparkline(props: {
  values: ArrayLike<number>;
  max: number;
  limits: StatThresholds;
  color: string;
  band: string;
}) {
  const { values, max, limits, color, band } = props;
  const w = 84;
  const h = 18;
  const n = values.length;
  const y = (v: number) => h - 1 - (Math.min(v, max) / max) * (h - 2);
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      if (current) segments.push(current);
      current = '';
      continue;
    }
    const x = n > 1 ? (i / (n - 1)) * w : w / 2;
    current += `${current ? 'L' : 'M'}${x.toFixed(1)},${y(v).toFixed(1)}`;
  }
  if (current) segments.push(current);
  return (
    <svg width={w} height={h} data-testid="mlmon-sparkline" data-max={max} aria-hidden>
      <rect
        x={0}
        y={y(limits.drift)}
        width={w}
        height={y(limits.investigate) - y(limits.drift)}
        fill={band}
        opacity={0.45}
      />
      <line x1={0} x2={w} y1={y(limits.drift)} y2={y(limits.drift)} stroke={band} strokeDasharray="2 2" />
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke={color} strokeWidth={1.25} />
      ))}
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ overflow: 'auto' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: 12,
    fontVariantNumeric: 'tabular-nums',
  }),
  th: css({
    position: 'sticky',
    top: 0,
    background: theme.colors.background.secondary,
    textAlign: 'left',
    padding: theme.spacing(0.5, 1),
    whiteSpace: 'nowrap',
    fontWeight: theme.typography.fontWeightMedium,
    zIndex: 1,
  }),
  thNum: css({ textAlign: 'right' }),
  sortButton: css({
    background: 'none',
    border: 'none',
    padding: 0,
    font: 'inherit',
    color: theme.colors.text.link,
    cursor: 'pointer',
  }),
  tr: css({
    cursor: 'pointer',
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    td: { padding: theme.spacing(0.25, 1), whiteSpace: 'nowrap', height: 24 },
    '&:hover': { background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: -2 },
  }),
  selected: css({ background: theme.colors.action.selected }),
  name: css({ fontWeight: theme.typography.fontWeightMedium, overflow: 'hidden', textOverflow: 'ellipsis' }),
  rank: css({
    display: 'inline-block',
    minWidth: 14,
    marginRight: 4,
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.error.main,
    color: theme.colors.error.contrastText,
    fontSize: 11,
    lineHeight: '14px',
    textAlign: 'center',
  }),
  num: css({ textAlign: 'right' }),
  na: css({ color: theme.colors.text.disabled, background: theme.colors.background.secondary }),
  status: css({
    display: 'inline-block',
    border: '1px solid',
    borderRadius: theme.shape.radius.pill,
    padding: theme.spacing(0, 1),
    lineHeight: '16px',
  }),
  trend: css({ lineHeight: 0 }),
});
