// `mlmon`: the one-shot commands for pipelines and notebooks. Each command's module is imported
// when it runs: `mlmon --help` loads none of them (nor the readers and statistics behind them).
import { UsageError } from '../flags.ts';

const HELP = `usage: mlmon <command> [flags]

Commands:
  backfill  Replay timestamped records through a config's models into OpenMetrics history.
  drift     Compare a current data file with a reference; exit 1 on dataset drift.
  profile   Build a reference profile from a data file.

Run \`mlmon <command> --help\` for its flags. The exporter is \`mlmon-exporter\`.`;

interface Command {
  run(argv: string[]): Promise<number>;
  help: string;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  drift: async () => {
    const { driftCommand, DRIFT_HELP } = await import('./drift.ts');
    return { run: driftCommand, help: DRIFT_HELP };
  },
  profile: async () => {
    const { profileCommand, PROFILE_HELP } = await import('./profile.ts');
    return { run: profileCommand, help: PROFILE_HELP };
  },
  backfill: async () => {
    const { backfillCommand, BACKFILL_HELP } = await import('./backfill.ts');
    return { run: backfillCommand, help: BACKFILL_HELP };
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = Object.hasOwn(COMMANDS, name ?? '') ? await COMMANDS[name!]() : undefined;
  try {
    if (command) return await command.run(rest);
    if (name === '--version') {
      const { BUILD } = await import('../version.ts');
      console.log(`mlmon ${BUILD.version}`);
      return 0;
    }
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      console.log(HELP);
      return name === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${name}"`);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`mlmon: ${err.message}\n\n${command?.help ?? HELP}`);
      return 2;
    }
    // Loaded on this path only (the command that threw one has loaded its module already).
    const [{ InputError }, { ConfigError }] = await Promise.all([
      import('../io/read-table.ts'),
      import('../config/load.ts'),
    ]);
    if (err instanceof InputError || err instanceof ConfigError) {
      console.error(`mlmon: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
