// Which columns are features, and of which type, when the config does not say.
import type { Cell, Table } from '../io/read-table.ts';
import type { FeatureConfig } from '../config/schema.ts';

/** Columns that describe a record rather than the model's inputs. */
export const RESERVED_COLUMNS = new Set(['id', 'timestamp', 'model', 'model_version', 'label', 'prediction', 'scores']);

export type FeatureType = 'numeric' | 'categorical';

export interface FeatureSpec {
  name: string;
  type: FeatureType;
}

export function inferType(values: readonly Cell[]): FeatureType {
  let sawNumber = false;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'number') sawNumber = true;
    else return 'categorical';
  }
  return sawNumber ? 'numeric' : 'categorical';
}

export interface SelectOptions {
  features?: readonly FeatureConfig[];
  exclude?: readonly string[];
  categorical?: readonly string[];
  prediction?: string;
}

/** The features to profile: those configured, or every non-reserved column. */
export function selectFeatures(table: Table, options: SelectOptions): FeatureSpec[] {
  const exclude = new Set(options.exclude ?? []);
  const categorical = new Set(options.categorical ?? []);
  const wanted =
    options.features && options.features.length > 0
      ? options.features
      : [...table.columns.keys()]
          .filter((name) => !RESERVED_COLUMNS.has(name) && name !== options.prediction)
          .map((name) => ({ name }) as FeatureConfig);
  return wanted
    .filter((feature) => !exclude.has(feature.name))
    .map((feature) => {
      const column = table.columns.get(feature.name);
      if (!column) throw new Error(`feature "${feature.name}" is not a column of the reference data`);
      const type = feature.type ?? (categorical.has(feature.name) ? 'categorical' : inferType(column));
      return { name: feature.name, type };
    });
}
