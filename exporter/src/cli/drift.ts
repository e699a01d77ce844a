// `mlmon drift`: compares a current data file with a reference, prints every statistic, and exits
// 0 (no dataset drift), 1 (dataset drift) or 2 (bad input, usage, nothing computable).
import { InputError, readTable, type Table } from '../io/read-table.ts';
import { firstNonNumber } from '../profile/infer.ts';
import { compareFeature } from '../report/compare.ts';
import { currentFromValues, numericSamples } from '../report/current-from-values.ts';
import { driftOptions } from '../report/drift-options.ts';
import type { FeatureReport } from '../report/feature-report.ts';
import { driftShare, isDatasetDrift } from '../stats/index.ts';
import type { ModelConfig } from '../config/schema.ts';
import { UsageError } from '../flags.ts';
import { formatMarkdown, formatTable, type DriftSummary } from './format-table.ts';
import { progress } from './progress.ts';
import { cliModel } from './model-settings.ts';
import { COLUMN_FLAGS, fraction, integer, parseFlags, required } from './options.ts';
import type { Profile } from '../profile/types.ts';
import { dataFormat, readReference } from './reference.ts';

export const DRIFT_HELP = `usage: mlmon drift --reference REF --current CUR [flags]

Compares CUR with REF feature by feature and tells whether the dataset drifted.
REF: a .csv, .jsonl or .parquet file (exact KS and Wasserstein) or a saved profile .json
(KS and Wasserstein from its fine CDF). CUR: a .csv, .jsonl or .parquet file.

Flags:
  --features a,b,c     Only these columns (default: every column but id, timestamp, model,
                       model_version, label, prediction, scores).
  --exclude d,e        Leave these columns out.
  --categorical x,y    Treat these columns as categorical: each cell's text is a category,
                       numbers included (zip codes, hours).
  --numeric x,y        Treat these columns as numeric: cells that are no number are counted
                       as missing and reported (default: numeric when every present cell of the
                       reference is a number).
  --prediction NAME    Also compare the prediction column NAME.
  --bins K             PSI bins of numeric features (default 10).
  --max-categories N   Categories kept as PSI bins before __other__ (default 50).
  --min-samples N      Current values a feature needs for a verdict (default 1000).
  --statistic S        psi (default), jensen_shannon, wasserstein_normalized or ks_pvalue.
  --threshold X        Drift threshold of that statistic (defaults 0.2, 0.1, 0.1, 0.05).
  --drift-share X      Dataset drift when drifted features / features with data >= X (default 0.3).
  --config FILE        Take these settings from a model of an mlmon YAML config (--model NAME).
  --format F           table (default), json, or markdown (a report for a pull request).
  --json               The same as --format json.

On a terminal, stderr shows what is being read or compared; never in a pipe or file.

Files are read as pandas reads them: the NA tokens (empty, NA, N/A, null, NaN, None, …) are
missing in every column, numbers may be padded with spaces, .gz and .zst files are decompressed.

Exit status: 0 no dataset drift, 1 dataset drift, 2 bad input or nothing could be computed.`;

/**
 * A feature missing from the current file, or a current column the reference data lacks, is an
 * error naming the column: comparing what is left would hide a broken pipeline.
 */
function checkColumns(
  reference: Profile,
  referenceColumns: ReadonlySet<string> | undefined,
  current: Table,
  paths: { current: string; reference: string },
  { features, exclude }: ModelConfig,
): void {
  const currentPath = paths.current;
  for (const name of Object.keys(reference.features)) {
    if (!current.columns.has(name)) {
      throw new InputError(
        `--current ${currentPath}: no column "${name}", a feature of the reference (--exclude ${name} leaves it out)`,
      );
    }
  }
  // With --features the other columns are left out on purpose; without, every column is compared.
  if (!referenceColumns || (features && features.length > 0)) return;
  for (const name of current.columns.keys()) {
    if (!referenceColumns.has(name) && !exclude.includes(name)) {
      throw new InputError(
        `--current ${currentPath}: the column "${name}" is not in --reference ${paths.reference} (--features lists the columns to compare)`,
      );
    }
  }
}

const STATISTICS = ['psi', 'jensen_shannon', 'wasserstein_normalized', 'ks_pvalue'] as const;
const FORMATS = ['table', 'json', 'markdown'] as const;

export async function driftCommand(argv: string[]): Promise<number> {
  const values = parseFlags(argv, {
    ...COLUMN_FLAGS,
    current: { type: 'string' },
    'min-samples': { type: 'string' },
    'drift-share': { type: 'string' },
    statistic: { type: 'string' },
    threshold: { type: 'string' },
    json: { type: 'boolean' },
    format: { type: 'string' },
  });
  if (values.help) {
    console.log(DRIFT_HELP);
    return 0;
  }
  const referencePath = required('reference', values.reference);
  const currentPath = required('current', values.current);
  const settings = cliModel(values);
  const { model } = settings;
  const statistic = values.statistic ?? model.drift.statistic;
  if (!(STATISTICS as readonly string[]).includes(statistic)) {
    throw new UsageError(`--statistic: "${statistic}" is not one of ${STATISTICS.join(', ')}`);
  }
  const threshold = values.threshold === undefined ? model.drift.threshold : Number(values.threshold);
  if (threshold !== undefined && !(threshold > 0))
    throw new UsageError(`--threshold: "${values.threshold}" is not a positive number`);
  const options = driftOptions(
    statistic as (typeof STATISTICS)[number],
    threshold,
    integer('min-samples', values['min-samples'], 1) ?? model.min_samples,
  );
  const shareThreshold = fraction('drift-share', values['drift-share']) ?? model.drift.share;
  const format = values.json ? 'json' : (values.format ?? 'table');
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format: "${format}" is not one of ${FORMATS.join(', ')}`);

  const shown = progress();
  shown.phase(`reading ${referencePath}`);
  const reference = await readReference(referencePath, settings);
  const names = Object.keys(reference.profile.features);
  if (names.length === 0) throw new InputError(`--reference ${referencePath}: no feature to compare`);
  // The reference's raw cells are dropped before the current file is read (peak memory): what is
  // kept is its column names and the sorted samples of its numeric features.
  const referenceColumns = reference.table && new Set(reference.table.columns.keys());
  const referenceSamples = new Map<string, Float64Array>();
  for (const name of names) {
    const refColumn = reference.table?.columns.get(name);
    if (reference.profile.features[name].type === 'numeric' && refColumn) {
      referenceSamples.set(name, numericSamples(refColumn));
    }
  }
  const { profile: referenceProfile, warnings } = reference;
  reference.table = undefined;
  shown.phase(`reading ${currentPath}`);
  const current = await readTable(currentPath, dataFormat(currentPath, 'current'));
  shown.done();
  checkColumns(referenceProfile, referenceColumns, current, { current: currentPath, reference: referencePath }, model);
  for (const warning of warnings) console.error(`mlmon: warning: ${warning}`);

  const features: Record<string, FeatureReport> = {};
  for (const name of names) {
    const profile = referenceProfile.features[name];
    const column = current.columns.get(name) ?? [];
    const refSamples = referenceSamples.get(name);
    const exact = refSamples && { reference: refSamples, current: numericSamples(column) };
    const counts = currentFromValues(profile, column);
    features[name] = compareFeature(profile, counts, options, exact);
    if (counts.violations > 0) {
      features[name].type_violations = counts.violations;
      const odd = firstNonNumber(column);
      console.error(
        `mlmon: warning: feature "${name}" is numeric in the reference but ${counts.violations} current cells are not numbers (first: ${JSON.stringify(odd?.cell)} in data row ${(odd?.row ?? 0) + 1}); counted as missing`,
      );
    }
  }
  const share = driftShare(Object.values(features).map((f) => f.status));
  const datasetDrift = isDatasetDrift(share, shareThreshold);
  const result = { features, drift_share: Number.isNaN(share) ? null : share, dataset_drift: datasetDrift };
  const summary: DriftSummary = { features, share, datasetDrift };
  const prediction = referenceProfile.prediction;
  if (prediction) {
    const column = current.columns.get(prediction.name) ?? [];
    const report = compareFeature(prediction, currentFromValues(prediction, column), options);
    Object.assign(result, { prediction: report });
    summary.prediction = { name: prediction.name, report };
  } else if (model.prediction) {
    // A profile saved without --prediction has no reference predictions to compare with.
    console.error(
      `mlmon drift: warning: the reference ${referencePath} has no prediction (a profile made without --prediction); ` +
        `the prediction column ${model.prediction.name} is not compared`,
    );
  }
  if (format === 'json') console.log(JSON.stringify(result, null, 2));
  else if (format === 'markdown')
    console.log(formatMarkdown(summary, { reference: referencePath, current: currentPath }));
  else console.log(formatTable(summary));
  if (Number.isNaN(share)) {
    console.error(
      `mlmon drift: no feature has enough data: each needs ${options.minSamples} current values (--min-samples)`,
    );
    return 2;
  }
  return datasetDrift ? 1 : 0;
}
