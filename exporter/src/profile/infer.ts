// Which columns are features, and of which type, when the config does not say.
import { isMissingCell, isNumberCell } from '../io/cell.ts';
import { numericColumn } from '../io/numeric-column.ts';
import type { Cell, Table } from '../io/read-table.ts';
import type { FeatureConfig } from '../config/schema.ts';

/** Columns that describe a record rather than the model's inputs. */
export const RESERVED_COLUMNS = new Set(['id', 'timestamp', 'model', 'model_version', 'label', 'prediction', 'scores']);

export type FeatureType = 'numeric' | 'categorical';

export interface FeatureSpec {
  name: string;
  type: FeatureType;
}

/** Numeric when every cell that is not missing reads as a number (pandas' rule), and one does. */
export function inferType(values: readonly Cell[]): FeatureType {
  // Text columns stop at their first cell; numeric ones are read once here for every later use.
  if (firstNonNumber(values.slice(0, 100)) !== undefined) return 'categorical';
  const column = numericColumn(values);
  return column.violations === 0 && column.present > 0 ? 'numeric' : 'categorical';
}

/** The first present cell that is not a number, with its row (0 = first data row). */
export function firstNonNumber(values: readonly Cell[]): { row: number; cell: Cell } | undefined {
  for (let row = 0; row < values.length; row++) {
    const cell = values[row];
    if (!isMissingCell(cell) && !isNumberCell(cell)) return { row, cell };
  }
  return undefined;
}

export interface SelectOptions {
  features?: readonly FeatureConfig[];
  exclude?: readonly string[];
  categorical?: readonly string[];
  numeric?: readonly string[];
  prediction?: string;
}

/** The features to profile: those configured, or every non-reserved column. */
export function selectFeatures(table: Table, options: SelectOptions): FeatureSpec[] {
  const exclude = new Set(options.exclude ?? []);
  const categorical = new Set(options.categorical ?? []);
  const numeric = new Set(options.numeric ?? []);
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
      const declared = categorical.has(feature.name)
        ? 'categorical'
        : numeric.has(feature.name)
          ? 'numeric'
          : undefined;
      const type = feature.type ?? declared ?? inferType(column);
      return { name: feature.name, type };
    });
}
