// The human-readable outputs of `mlmon drift`: a plain-text table for a terminal and a Markdown
// report for a CI job to post on a pull request. Both list every feature, then the prediction
// (compared like a feature, not counted in the drift share).
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

export interface DriftSummary {
  features: Record<string, FeatureReport>;
  /** The prediction column's report, when the reference has one. */
  prediction?: { name: string; report: FeatureReport };
  share: number;
  datasetDrift: boolean;
}

function cell(value: number | string | undefined): string {
  if (value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) < 1e-3 && value !== 0 ? value.toExponential(2) : value.toFixed(4);
}

/** Header, then one row per feature and one for the prediction (labelled as such). */
function rows({ features, prediction }: DriftSummary): string[][] {
  const out = [['feature', ...COLUMNS.map(([name]) => name)]];
  for (const [name, report] of Object.entries(features))
    out.push([name, ...COLUMNS.map(([, get]) => cell(get(report)))]);
  if (prediction)
    out.push([`${prediction.name} (prediction)`, ...COLUMNS.map(([, get]) => cell(get(prediction.report)))]);
  return out;
}

const verdict = ({ share, datasetDrift }: DriftSummary) =>
  `drifted features: ${Number.isNaN(share) ? 'n/a' : `${(share * 100).toFixed(1)} %`} -> ${
    datasetDrift ? 'DATASET DRIFT' : 'no dataset drift'
  }`;

export function formatTable(summary: DriftSummary): string {
  const table = rows(summary);
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) =>
    row.map((text, i) => (i === 0 ? text.padEnd(widths[i]) : text.padStart(widths[i]))).join('  '),
  );
  lines.push('', verdict(summary));
  return lines.join('\n');
}

/** A Markdown report: a verdict line, then the table (GitHub-flavoured). */
export function formatMarkdown(summary: DriftSummary, files: { reference: string; current: string }): string {
  const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const [header, ...body] = rows(summary);
  const line = (row: string[]) => `| ${row.map(escape).join(' | ')} |`;
  return [
    `### mlmon drift: ${summary.datasetDrift ? '**dataset drift**' : 'no dataset drift'}`,
    '',
    `\`${escape(files.current)}\` against \`${escape(files.reference)}\`: ${verdict(summary).replace(/^drifted/, 'Drifted')}.`,
    '',
    line(header),
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...body.map(line),
    '',
  ].join('\n');
}
