// One number format per table column, so that a column reads down without switching notation.

/** The smallest p-value worth printing: a double underflows to 0 (or denormals) below ~1e-308. */
export const P_FLOOR = 1e-300;

/** Statistics (PSI, KS D, JS, W₁/σ): three decimals; a positive value that rounds to zero says so. */
export function formatStat(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v > 0 && v < 0.0005) return '< 0.001';
  return v.toFixed(3);
}

/** p-values: three decimals down to 0.001, then one significant digit and an exponent; `< 1e-300` at the float floor. */
export function formatPValue(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v < P_FLOOR) return '< 1e-300';
  if (v < 0.001) return v.toExponential(1);
  return v.toFixed(3);
}

/** Ratios as percentages with one decimal. */
export function formatRatio(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v > 0 && v < 0.0005) return '< 0.1%';
  return `${(v * 100).toFixed(1)}%`;
}

/** Counts with thousands separators. */
export function formatCount(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Math.round(v).toLocaleString('en-US');
}

/** A threshold or axis value: as short as it can be, never in exponent form for ordinary limits. */
export function formatLimit(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Number(v.toPrecision(3)).toString();
}
