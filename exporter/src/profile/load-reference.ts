// A model's reference: a saved profile, or data (CSV, JSONL, Parquet) profiled at start-up.
import { formatOf, readTable, type TableFormat } from '../io/read-table.ts';
import type { ModelConfig } from '../config/schema.ts';
import { buildProfile } from './build.ts';
import { loadProfile } from './file.ts';
import { inferType, selectFeatures } from './infer.ts';
import type { Profile, ProfileSettings } from './types.ts';
import { rowTimestamps } from '../reference/timestamps.ts';
import type { TimedRows } from '../reference/model-reference.ts';

export function settingsOf(model: ModelConfig): ProfileSettings {
  return {
    bins: model.bins,
    fine_bins: model.fine_bins,
    max_categories: model.max_categories,
    max_reference_categories: model.max_reference_categories,
  };
}

export async function loadReference(model: ModelConfig): Promise<Profile> {
  return (await loadTimedReference(model)).profile;
}

/** The profile and, with `reference.timestamp`, the rows with their times (seasons, dispersion). */
export async function loadTimedReference(model: ModelConfig): Promise<{ profile: Profile; timed?: TimedRows }> {
  const { path } = model.reference;
  const format = model.reference.format === 'auto' ? formatOf(path) : model.reference.format;
  if (!format)
    throw new Error(`models.${model.name}.reference.path: cannot tell the format of ${path}; set reference.format`);
  const timestamp = model.reference.timestamp;
  if (format === 'profile') {
    if (timestamp)
      throw new Error(`reference.timestamp: ${path} is a saved profile, which has no rows to take times from`);
    return { profile: await loadProfile(path) };
  }
  const table = await readTable(path, format as TableFormat);
  const features = selectFeatures(table, {
    features: model.features,
    exclude: timestamp ? [...model.exclude, timestamp] : model.exclude,
    prediction: model.prediction?.name,
  });
  if (features.length > model.max_features) {
    throw new Error(`model ${model.name}: ${features.length} features exceed max_features (${model.max_features})`);
  }
  const prediction = model.prediction && {
    name: model.prediction.name,
    type: model.prediction.type ?? inferType(table.columns.get(model.prediction.name) ?? []),
  };
  const profile = buildProfile(table, features, settingsOf(model), prediction);
  return { profile, timed: timestamp ? { table, timestamps: rowTimestamps(table, timestamp) } : undefined };
}
