// The exporter's log lines, as Prometheus exporters write them: `--log.level` filters,
// `--log.format` is logfmt (ts=… level=… msg="…") or JSON, one line per message. The modules log
// through console (console.log: info, console.warn: warn, console.error: error, console.debug:
// debug); installLogging() turns those calls into formatted lines, so no module needs a logger
// handed to it. --help and --version print before it is installed, so they stay plain.
import { format as formatArgs } from 'node:util';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];

/** A logfmt value: bare when it can be, else quoted with \, " and line breaks escaped. */
function logfmtValue(value: string): string {
  if (value !== '' && !/[\s"=\\]/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** One log line (without its newline). */
export function formatLine(level: LogLevel, message: string, format: LogFormat, now = new Date()): string {
  const ts = now.toISOString();
  if (format === 'json') return JSON.stringify({ ts, level, msg: message });
  return `ts=${ts} level=${level} msg=${logfmtValue(message)}`;
}

export interface LogWriter {
  stdout(line: string): void;
  stderr(line: string): void;
}

const processWriter: LogWriter = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Routes console.debug/log/info/warn/error through `level` and `format`; lines keep their stream
 * (stdout for debug and info, stderr for warn and error). Returns a function restoring console.
 */
export function installLogging(
  { level, format }: { level: LogLevel; format: LogFormat },
  writer: LogWriter = processWriter,
): () => void {
  const min = LOG_LEVELS.indexOf(level);
  const saved = {
    debug: console.debug,
    log: console.log,
    info: console.info,
    warn: console.warn,
    error: console.error,
  };
  const sink =
    (lineLevel: LogLevel, stream: keyof LogWriter) =>
    (...args: unknown[]) => {
      if (LOG_LEVELS.indexOf(lineLevel) >= min) writer[stream](formatLine(lineLevel, formatArgs(...args), format));
    };
  console.debug = sink('debug', 'stdout');
  console.log = sink('info', 'stdout');
  console.info = sink('info', 'stdout');
  console.warn = sink('warn', 'stderr');
  console.error = sink('error', 'stderr');
  return () => Object.assign(console, saved);
}
