// `mlmon profile`: builds a reference profile from a data file and saves it as JSON.
import { saveProfile } from '../profile/file.ts';
import { cliModel } from './model-settings.ts';
import { COLUMN_FLAGS, parseFlags, required } from './options.ts';
import { dataFormat, readReference } from './reference.ts';

export const PROFILE_HELP = `usage: mlmon profile --reference REF --out FILE [flags]

Builds the reference profile of a .csv, .jsonl or .parquet file: per numeric feature its quantile
bin edges and counts, min/max, mean/std and a fine CDF; per categorical feature its categories.
The exporter and \`mlmon drift\` take the profile in place of the data.

Flags: --features, --exclude, --categorical, --numeric, --prediction, --bins, --max-categories, --config,
--model, as for \`mlmon drift\`.`;

export async function profileCommand(argv: string[]): Promise<number> {
  const values = parseFlags(argv, { ...COLUMN_FLAGS, out: { type: 'string' } });
  if (values.help) {
    console.log(PROFILE_HELP);
    return 0;
  }
  const referencePath = required('reference', values.reference);
  const out = required('out', values.out);
  dataFormat(referencePath, 'reference');
  const { profile, table } = await readReference(referencePath, cliModel(values));
  if (!profile.prediction && table?.columns.has('prediction')) {
    // Later drift runs against this profile could not compare predictions: say so now.
    console.error(
      `mlmon profile: warning: ${referencePath} has a prediction column, left out of the profile; ` +
        'add --prediction prediction to compare predictions later',
    );
  }
  await saveProfile(profile, out);
  console.log(
    `wrote ${out}: ${Object.keys(profile.features).length} features, ${profile.rows} rows, hash ${profile.hash}`,
  );
  return 0;
}
