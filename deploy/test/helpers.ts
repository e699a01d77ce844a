// Small helpers of the deploy tests: a child process that is stopped (SIGTERM, then SIGKILL)
// and keeps the tail of its output, and a Dockerfile reader.
import { spawn, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Managed {
  output(): string;
  exited(): boolean;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnManaged(command: string, args: string[], options: SpawnOptions = {}): Managed {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!exited()) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      return exit;
    },
  };
}

export interface Instruction {
  keyword: string;
  args: string;
}

/** A Dockerfile's instructions, with line continuations joined and comments dropped. */
export function readDockerfile(path: string): Instruction[] {
  const text = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [, keyword, args] = /^(\w+)\s+(.*)$/.exec(line)!;
      return { keyword: keyword.toUpperCase(), args: args.trim() };
    });
}

/** The JSON (exec) form of CMD, ENTRYPOINT or HEALTHCHECK ... CMD. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  const parsed = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new Error(`not the exec form: ${args}`);
  return parsed;
}
