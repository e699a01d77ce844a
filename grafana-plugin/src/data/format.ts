/** Compact number for cells and tooltips: 4 significant digits, exponent for tiny values. */
export function formatValue(v: number, kind: 'stat' | 'ratio' | 'count' | 'pvalue' = 'stat'): string {
  if (!Number.isFinite(v)) return '–';
  if (kind === 'count') return Math.round(v).toLocaleString('en-US');
  if (kind === 'ratio') return `${(v * 100).toFixed(v < 0.001 && v > 0 ? 3 : 1)}%`;
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}
