import React, { useMemo, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2, Threshold } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';
import { valueColor } from '../../data/colors';
import { formatValue } from '../../data/format';
import type { FeatureRow, TableStat } from '../../data/model';
import { STATUS_TEXT, type ColorScheme, type FeatureStatus } from '../../types';
import { colorResolver } from '../theme';

type Column = {
  key: 'name' | 'type' | 'status' | TableStat;
  title: string;
  kind?: 'stat' | 'ratio' | 'count' | 'pvalue';
  /** Coloured by the thresholds (statistics on the 0.1 / 0.2 scale). */
  colored?: boolean;
};

export const COLUMNS: Column[] = [
  { key: 'name', title: 'Feature' },
  { key: 'type', title: 'Type' },
  { key: 'psi', title: 'PSI', kind: 'stat', colored: true },
  { key: 'ks_statistic', title: 'KS', kind: 'stat', colored: true },
  { key: 'ks_pvalue', title: 'KS p', kind: 'pvalue' },
  { key: 'wasserstein', title: 'Wasserstein', kind: 'stat' },
  { key: 'jensen_shannon_distance', title: 'JS', kind: 'stat', colored: true },
  { key: 'missing_ratio', title: 'Missing', kind: 'ratio' },
  { key: 'samples', title: 'Samples', kind: 'count' },
  { key: 'status', title: 'Status' },
];

const STATUS_RANK: Record<FeatureStatus, number> = { drift: 3, investigate: 2, stable: 1, insufficient_data: 0 };
const STATUS_COLOR: Record<FeatureStatus, string> = {
  drift: 'red',
  investigate: 'orange',
  stable: 'green',
  insufficient_data: 'text-disabled',
};

export interface PsiTableProps {
  rows: FeatureRow[];
  steps: Threshold[];
  scheme: ColorScheme;
  width: number;
  height: number;
  selected?: string;
  onSelect?: (feature: string) => void;
}

function sortValue(row: FeatureRow, key: Column['key']): number | string {
  if (key === 'name' || key === 'type') return row[key];
  if (key === 'status') return row.status ? STATUS_RANK[row.status] : -1;
  return row.stats[key];
}

/** Feature statistics, one row per feature, sortable by any column, cells coloured by the thresholds. */
export function PsiTable({ rows, steps, scheme, width, height, selected, onSelect }: PsiTableProps) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const resolve = colorResolver(theme);
  const [sort, setSort] = useState<{ key: Column['key']; desc: boolean }>();
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
  const compact = width < 900;
  const columns = compact ? COLUMNS.filter((c) => !['type', 'ks_pvalue', 'wasserstein'].includes(c.key)) : COLUMNS;
  const onHeader = (key: Column['key']) =>
    setSort((s) => (s?.key === key ? { key, desc: !s.desc } : { key, desc: key !== 'name' && key !== 'type' }));

  return (
    <div className={styles.wrap} style={{ width, height }} data-testid="mlmon-table">
      <table className={styles.table}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                className={styles.th}
                onClick={() => onHeader(c.key)}
                aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              >
                {c.title}
                {sort?.key === c.key && <Icon name={sort.desc ? 'arrow-down' : 'arrow-up'} size="sm" />}
              </th>
            ))}
            <th className={styles.th}>Trend</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr
              key={row.name}
              data-testid="mlmon-table-row"
              data-feature={row.name}
              className={cx(styles.tr, row.name === selected && styles.selected)}
              onClick={() => onSelect?.(row.name)}
            >
              {columns.map((c) => {
                if (c.key === 'name')
                  return (
                    <td key={c.key} className={styles.name}>
                      {row.name}
                    </td>
                  );
                if (c.key === 'type') return <td key={c.key}>{row.type === 'unknown' ? '' : row.type}</td>;
                if (c.key === 'status') {
                  const color = row.status ? resolve(STATUS_COLOR[row.status]) : undefined;
                  return (
                    <td key={c.key} data-status={row.status ?? ''}>
                      {row.status && (
                        <span className={styles.status} style={{ borderColor: color, color }}>
                          {STATUS_TEXT[row.status]}
                        </span>
                      )}
                    </td>
                  );
                }
                const v = row.stats[c.key];
                const bg = c.colored && Number.isFinite(v) ? valueColor(v, steps, resolve, scheme) : undefined;
                return (
                  <td
                    key={c.key}
                    className={styles.num}
                    data-col={c.key}
                    style={bg ? { background: bg, color: theme.colors.getContrastText(bg) } : undefined}
                  >
                    {formatValue(v, c.kind)}
                  </td>
                );
              })}
              <td className={styles.trend}>
                <Sparkline values={row.values} color={resolve(row.status ? STATUS_COLOR[row.status] : 'blue')} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A small SVG line of the statistic's recent values (absent values are gaps). */
export function Sparkline({ values, color }: { values: ArrayLike<number>; color: string }) {
  const w = 80;
  const h = 18;
  const n = values.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (Number.isFinite(values[i]) && values[i] > max) max = values[i];
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
    const y = h - 1 - (max > 0 ? (v / max) * (h - 2) : 0);
    current += `${current ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
  }
  if (current) segments.push(current);
  return (
    <svg width={w} height={h} data-testid="mlmon-sparkline" aria-hidden>
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
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
  }),
  th: css({
    position: 'sticky',
    top: 0,
    background: theme.colors.background.secondary,
    color: theme.colors.text.link,
    textAlign: 'left',
    padding: theme.spacing(0.5, 1),
    cursor: 'pointer',
    whiteSpace: 'nowrap',
    fontWeight: theme.typography.fontWeightMedium,
    zIndex: 1,
  }),
  tr: css({
    cursor: 'pointer',
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    td: { padding: theme.spacing(0.25, 1), whiteSpace: 'nowrap' },
    '&:hover': { background: theme.colors.action.hover },
  }),
  selected: css({ background: theme.colors.action.selected }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
  num: css({ textAlign: 'right' }),
  status: css({ border: '1px solid', borderRadius: theme.shape.radius.pill, padding: theme.spacing(0, 1) }),
  trend: css({ lineHeight: 0 }),
});
