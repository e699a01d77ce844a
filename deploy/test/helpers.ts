// The deploy tests' Dockerfile reader (processes and ports come from the shared test kit).
import { readFileSync } from 'node:fs';

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
