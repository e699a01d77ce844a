// The reference side of a CLI run: a saved profile, or a data file profiled on the spot
// (whose raw rows then also give exact KS and Wasserstein).
import { formatOf, InputError, readTable, type Table, type TableFormat } from '../io/read-table.ts';
import { buildProfile } from '../profile/build.ts';
import { loadProfile } from '../profile/file.ts';
import { inferType, selectFeatures } from '../profile/infer.ts';
import { settingsOf } from '../profile/load-reference.ts';
import type { Profile } from '../profile/types.ts';
import type { CliModel } from './model-settings.ts';

export interface Reference {
  profile: Profile;
  /** The raw reference data, when REF was a data file. */
  table?: Table;
}

export function dataFormat(path: string, flag: string): TableFormat {
  const format = formatOf(path);
  if (format === undefined || format === 'profile') {
    throw new InputError(`--${flag}: ${path} is not a .csv, .jsonl, .ndjson or .parquet file`);
  }
  return format;
}

export async function readReference(path: string, { model, categorical }: CliModel): Promise<Reference> {
  if (formatOf(path) === 'profile') {
    try {
      return { profile: await loadProfile(path) };
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
      prediction: model.prediction?.name,
    });
  } catch (err) {
    throw new InputError(`--reference ${path}: ${(err as Error).message}`);
  }
  const prediction = model.prediction && {
    name: model.prediction.name,
    type: model.prediction.type ?? inferType(table.columns.get(model.prediction.name) ?? []),
  };
  return { profile: buildProfile(table, features, settingsOf(model), prediction), table };
}
