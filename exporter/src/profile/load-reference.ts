// A model's reference: a saved profile, or data (CSV, JSONL, Parquet) profiled at start-up.
import { formatOf, readTable, type TableFormat } from '../io/read-table.ts';
import type { ModelConfig } from '../config/schema.ts';
import { buildProfile } from './build.ts';
import { loadProfile } from './file.ts';
import { inferType, selectFeatures } from './infer.ts';
import type { Profile, ProfileSettings } from './types.ts';
import { rowTimestamps } from '../reference/timestamps.ts';
import type { TimedRows } from '../reference/model-reference.ts';
import { buildSegmentReference, type SegmentReference } from '../segments/segment-profiles.ts';

export interface Reference {
  profile: Profile;
  /** One per segment column of the model, in its order. */
  segments: SegmentReference[];
  /** With `reference.timestamp`: the rows with their times (seasons, dispersion). */
  timed?: TimedRows;
}

export function settingsOf(model: ModelConfig): ProfileSettings {
  return {
    bins: model.bins,
    fine_bins: model.fine_bins,
    max_categories: model.max_categories,
    max_reference_categories: model.max_reference_categories,
  };
}

/** The model's reference profile, its segments' profiles and, with `reference.timestamp`, its timed rows. */
export async function loadReference(model: ModelConfig): Promise<Reference> {
  const { path } = model.reference;
  const format = model.reference.format === 'auto' ? formatOf(path) : model.reference.format;
  if (!format)
    throw new Error(`models.${model.name}.reference.path: cannot tell the format of ${path}; set reference.format`);
  const timestamp = model.reference.timestamp;
  if (format === 'profile') {
    if (timestamp)
      throw new Error(`reference.timestamp: ${path} is a saved profile, which has no rows to take times from`);
    if (model.segments.length > 0)
      throw new Error(`models.${model.name}.segments: segments are profiled from reference data, not a saved profile`);
    return { profile: await loadProfile(path), segments: [] };
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
  const segments = model.segments.map((column) => {
    const feature = features.find((f) => f.name === column);
    if (feature?.type !== 'categorical')
      throw new Error(`models.${model.name}.segments: ${column} is not a categorical feature of the model`);
    return buildSegmentReference(table, column, model.segment_values, features, settingsOf(model), prediction);
  });
  const profile = buildProfile(table, features, settingsOf(model), prediction);
  return { profile, segments, timed: timestamp ? { table, timestamps: rowTimestamps(table, timestamp) } : undefined };
}
