// `mlmon backfill`: replays timestamped inference records through the models of an exporter
// config and writes what /metrics would have shown at every step, as OpenMetrics for
// `promtool tsdb create-blocks-from openmetrics`.
import { parseArgs } from 'node:util';
import { backfill } from '../backfill/backfill.ts';
import { loadConfigFile } from '../config/load.ts';
import { UsageError } from '../flags.ts';
import { parseDuration } from '../util/duration.ts';
import { required } from './options.ts';

export const BACKFILL_HELP = `usage: mlmon backfill --config FILE --input FILE... [--step 1m] --output FILE

Feeds the records of the input files, in timestamp order, through the windows, statistics and
drift decisions of the config's models, as the exporter would have counted them on arrival, and
writes every model family /metrics would have shown at each step, with timestamps, as OpenMetrics.
Load it into Prometheus with
  promtool tsdb create-blocks-from openmetrics FILE <prometheus data dir>

Flags:
  --config FILE     The exporter's YAML config (its models and references; sources are ignored).
  --input FILE...   JSONL files of records as POST /api/v1/records takes them, each with a
                    timestamp. Each file should be in time order (inference logs are); files are
                    merged by timestamp. Repeat the flag or list several files after it.
                    A line may instead hold the bin counts of many records of one time slice
                    (an aggregate line, see the exporter README), as the database source does.
  --step DURATION   Time between two written samples of a series (default 1m; a scrape interval).
  --output FILE     The OpenMetrics file to write.

Lines that are not usable records are reported (file:line, field, reason) and skipped.
Exit status: 0 written, 2 bad usage or no usable record.`;

/** Rejected lines printed one by one before only the count is reported. */
const MAX_PRINTED_REJECTIONS = 20;

export async function backfillCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        input: { type: 'string', multiple: true },
        step: { type: 'string', default: '1m' },
        output: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(BACKFILL_HELP);
    return 0;
  }
  const config = loadConfigFile(required('config', values.config));
  const output = required('output', values.output);
  const inputs = [...(values.input ?? []), ...positionals];
  if (inputs.length === 0) throw new UsageError('--input is required');
  const stepMs = parseDuration(values.step);
  if (stepMs === undefined) throw new UsageError(`--step: "${values.step}" is not a duration such as 30s or 1m`);

  let printed = 0;
  const summary = await backfill(
    { ...config, demo: undefined },
    {
      inputs,
      stepMs,
      output,
      onRejected: (where, field, reason) => {
        if (printed++ < MAX_PRINTED_REJECTIONS)
          console.error(`mlmon: ${where}: skipped: ${field || 'record'}: ${reason}`);
      },
    },
  );
  const skipped = summary.rejected + summary.unknownModel;
  if (summary.records === 0) {
    console.error(`mlmon: no usable record in ${inputs.join(', ')} (${skipped} lines skipped)`);
    return 2;
  }
  const span = `${new Date(summary.firstMs!).toISOString()} to ${new Date(summary.lastMs!).toISOString()}`;
  console.log(
    `wrote ${output}: ${summary.records} records (${span}), ${skipped} skipped, ${summary.steps} steps, ${summary.samples} samples`,
  );
  return 0;
}
