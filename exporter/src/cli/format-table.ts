// The human-readable output of `mlmon drift`.
import type { FeatureReport } from '../report/feature-report.ts';

const COLUMNS: [string, (r: FeatureReport) => number | string | undefined][] = [
  ['type', (r) => r.type],
  ['status', (r) => r.status],
  ['n_cur', (r) => r.n_current],
  ['psi', (r) => r.psi],
  ['ks_D', (r) => r.ks_statistic],
  ['ks_p', (r) => r.ks_pvalue],
  ['wass_norm', (r) => r.wasserstein_normalized],
  ['js', (r) => r.jensen_shannon],
  ['chi2_p', (r) => r.chi2_pvalue],
  ['missing', (r) => r.missing_ratio],
  ['new_cat', (r) => r.new_category_ratio],
  ['out_rng', (r) => r.out_of_range_ratio],
];

function cell(value: number | string | undefined): string {
  if (value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) < 1e-3 && value !== 0 ? value.toExponential(2) : value.toFixed(4);
}

export function formatTable(features: Record<string, FeatureReport>, share: number, datasetDrift: boolean): string {
  const rows = [['feature', ...COLUMNS.map(([name]) => name)]];
  for (const [name, report] of Object.entries(features))
    rows.push([name, ...COLUMNS.map(([, get]) => cell(get(report)))]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) =>
    row.map((text, i) => (i === 0 ? text.padEnd(widths[i]) : text.padStart(widths[i]))).join('  '),
  );
  const shareText = Number.isNaN(share) ? 'n/a' : `${(share * 100).toFixed(1)} %`;
  lines.push('', `drifted features: ${shareText} -> ${datasetDrift ? 'DATASET DRIFT' : 'no dataset drift'}`);
  return lines.join('\n');
}
