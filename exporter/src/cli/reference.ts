// The reference side of a CLI run: a saved profile, or a data file profiled on the spot
// (whose raw rows then also give exact KS and Wasserstein).
import { isMissingCell, isNumberCell } from '../io/cell.ts';
import { numericColumn } from '../io/numeric-column.ts';
import { formatOf, InputError, readTable, type Cell, type Table, type TableFormat } from '../io/read-table.ts';
import { buildProfile } from '../profile/build.ts';
import { loadProfile } from '../profile/file.ts';
import { firstNonNumber, inferType, selectFeatures, type FeatureSpec } from '../profile/infer.ts';
import { settingsOf } from '../profile/load-reference.ts';
import type { Profile } from '../profile/types.ts';
import type { CliModel } from './model-settings.ts';

export interface Reference {
  profile: Profile;
  /** The raw reference data, when REF was a data file. */
  table?: Table;
  /** Type conflicts found in the reference, one line per feature, for stderr. */
  warnings: string[];
}

export function dataFormat(path: string, flag: string): TableFormat {
  const format = formatOf(path);
  if (format === undefined || format === 'profile') {
    throw new InputError(`--${flag}: ${path} is not a .csv, .jsonl, .ndjson or .parquet file`);
  }
  return format;
}

export async function readReference(path: string, { model, categorical, numeric }: CliModel): Promise<Reference> {
  if (formatOf(path) === 'profile') {
    try {
      return { profile: await loadProfile(path), warnings: [] };
    } catch (err) {
      throw new InputError((err as Error).message);
    }
  }
  const table = await readTable(path, dataFormat(path, 'reference'));
  let features;
  try {
    features = selectFeatures(table, {
      features: model.features,
      exclude: model.exclude,
      categorical,
      numeric,
      prediction: model.prediction?.name,
    });
  } catch (err) {
    throw new InputError(`--reference ${path}: ${(err as Error).message}`);
  }
  const prediction = model.prediction && {
    name: model.prediction.name,
    type: model.prediction.type ?? inferType(table.columns.get(model.prediction.name) ?? []),
  };
  const profile = buildProfile(table, features, settingsOf(model), prediction);
  const declaredTypes = new Set([...categorical, ...(model.features ?? []).filter((f) => f.type).map((f) => f.name)]);
  return { profile, table, warnings: typeWarnings(table, features, declaredTypes) };
}

/**
 * A column read as categorical although most of its cells are numbers, and a numeric column with
 * cells that are not numbers, are said out loud: either may be a typo in the data.
 */
function typeWarnings(table: Table, features: FeatureSpec[], declared: ReadonlySet<string>): string[] {
  const warnings: string[] = [];
  for (const { name, type } of features) {
    const column = table.columns.get(name) ?? [];
    // A numeric column read without a violation has nothing to say (and is not scanned again).
    if (type === 'numeric' && numericColumn(column).violations === 0) continue;
    const odd = firstNonNumber(column);
    if (!odd) continue;
    const where = `${JSON.stringify(odd.cell)} in data row ${odd.row + 1}`;
    if (type === 'numeric') {
      warnings.push(`feature "${name}" is numeric but ${where} of the reference is not a number (counted as missing)`);
    } else if (!declared.has(name) && mostlyNumbers(column)) {
      warnings.push(
        `feature "${name}" is read as categorical because ${where} of the reference is not a number; --numeric ${name} compares it as numbers`,
      );
    }
  }
  return warnings;
}

function mostlyNumbers(column: readonly Cell[]): boolean {
  let numbers = 0;
  let present = 0;
  for (const cell of column) {
    if (isMissingCell(cell)) continue;
    present++;
    if (isNumberCell(cell)) numbers++;
  }
  return numbers > present / 2;
}
