import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageJson = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as {
  version: string;
};

function gitRevision(): string {
  try {
    const cwd = fileURLToPath(new URL('.', import.meta.url));
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

let revision: string | undefined;

export const BUILD = {
  version: packageJson.version,
  /** Asked of git on first use only: `--help` and the CLI's commands never start a git process. */
  get revision(): string {
    return (revision ??= process.env.MLMON_REVISION ?? gitRevision());
  },
};
