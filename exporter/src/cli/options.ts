// Flags shared by `mlmon drift` and `mlmon profile`, validated with messages that name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../flags.ts';

export const COLUMN_FLAGS = {
  reference: { type: 'string' },
  features: { type: 'string' },
  exclude: { type: 'string' },
  categorical: { type: 'string' },
  numeric: { type: 'string' },
  prediction: { type: 'string' },
  bins: { type: 'string' },
  'max-categories': { type: 'string' },
  config: { type: 'string' },
  model: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type FlagOptions = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends FlagOptions>(argv: string[], options: T) {
  try {
    return parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>({
      args: argv,
      options,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

export function integer(
  flag: string,
  value: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${flag}: "${value}" is not an integer in [${min}, ${max}]`);
  return n;
}

export function fraction(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new UsageError(`--${flag}: "${value}" is not a number in (0, 1]`);
  return n;
}

export function required(flag: string, value: string | undefined): string {
  if (!value) throw new UsageError(`--${flag} is required`);
  return value;
}
