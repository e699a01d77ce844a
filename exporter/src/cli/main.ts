// `mlmon`: the one-shot commands for pipelines and notebooks.
import { ConfigError } from '../config/load.ts';
import { UsageError } from '../flags.ts';
import { InputError } from '../io/read-table.ts';
import { BUILD } from '../version.ts';
import { BACKFILL_HELP, backfillCommand } from './backfill.ts';
import { DRIFT_HELP, driftCommand } from './drift.ts';
import { PROFILE_HELP, profileCommand } from './profile.ts';

const HELP = `usage: mlmon <command> [flags]

Commands:
  backfill  Replay timestamped records through a config's models into OpenMetrics history.
  drift     Compare a current data file with a reference; exit 1 on dataset drift.
  profile   Build a reference profile from a data file.

Run \`mlmon <command> --help\` for its flags. The exporter is \`mlmon-exporter\`.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'drift') return await driftCommand(rest);
    if (command === 'profile') return await profileCommand(rest);
    if (command === 'backfill') return await backfillCommand(rest);
    if (command === '--version') {
      console.log(`mlmon ${BUILD.version}`);
      return 0;
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      console.log(HELP);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    if (err instanceof UsageError) {
      const help =
        command === 'drift'
          ? DRIFT_HELP
          : command === 'profile'
            ? PROFILE_HELP
            : command === 'backfill'
              ? BACKFILL_HELP
              : HELP;
      console.error(`mlmon: ${err.message}\n\n${help}`);
      return 2;
    }
    if (err instanceof InputError || err instanceof ConfigError) {
      console.error(`mlmon: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
