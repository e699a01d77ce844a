// The settings a CLI run uses: a model from --config if given, overridden by flags.
import { loadConfigFile } from '../config/load.ts';
import { modelSchema, type ModelConfig } from '../config/schema.ts';
import { UsageError } from '../flags.ts';
import { COLUMN_FLAGS, integer, list } from './options.ts';

type ColumnValues = {
  [K in keyof typeof COLUMN_FLAGS]?: (typeof COLUMN_FLAGS)[K]['type'] extends 'boolean' ? boolean : string;
};

export interface CliModel {
  model: ModelConfig;
  categorical: string[];
  numeric: string[];
}

export function cliModel(values: ColumnValues): CliModel {
  let model: ModelConfig;
  if (values.config) {
    const config = loadConfigFile(values.config);
    const chosen = values.model ? config.models.find((m) => m.name === values.model) : config.models[0];
    if (!chosen) {
      throw new UsageError(
        values.model
          ? `--model: no model "${values.model}" in ${values.config}`
          : `--config: ${values.config} defines no model`,
      );
    }
    if (!values.model && config.models.length > 1) {
      throw new UsageError(
        `--config: ${values.config} defines ${config.models.length} models; choose one with --model`,
      );
    }
    model = chosen;
  } else {
    model = modelSchema.parse({ name: 'cli', reference: { path: values.reference ?? '-' } });
  }
  const features = list(values.features);
  if (features) model.features = features.map((name) => ({ name }));
  model.exclude = [...model.exclude, ...(list(values.exclude) ?? [])];
  if (values.prediction) model.prediction = { name: values.prediction };
  model.bins = integer('bins', values.bins, 2, 100) ?? model.bins;
  model.max_categories = integer('max-categories', values['max-categories'], 1, 1000) ?? model.max_categories;
  const categorical = list(values.categorical) ?? [];
  const numeric = list(values.numeric) ?? [];
  const both = numeric.find((name) => categorical.includes(name));
  if (both) throw new UsageError(`--numeric and --categorical both name "${both}"`);
  return { model, categorical, numeric };
}
