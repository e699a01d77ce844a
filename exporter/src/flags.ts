// mlmon-exporter's command-line flags, spelled the Prometheus way (--config.file=…).
import { parseArgs } from 'node:util';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './server/connections.ts';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './log.ts';
import { parseDuration } from './util/duration.ts';

export const DEFAULT_LISTEN_ADDRESS = ':9877';

export const EXPORTER_HELP = `usage: mlmon-exporter [<flags>]

Publishes drift, data-quality and health metrics of ML models for Prometheus.

Flags:
  --config.file=PATH          YAML config (models, references, windows). Without it the exporter
                              runs its embedded default: the demo model with synthetic traffic.
  --web.listen-address=ADDR   Address to listen on, [host]:port. Default ${DEFAULT_LISTEN_ADDRESS}.
  --web.config.file=PATH      Web config in the Prometheus exporter-toolkit web-config.yml format:
                              TLS, basic auth (bcrypt), ingest bearer tokens, ingest rate
                              limits, security headers. See exporter/SECURITY.md.
  --web.enable-lifecycle      Serve POST /-/reload (off by default, as in Prometheus; SIGHUP
                              always reloads).
  --web.read-header-timeout=DURATION
                              Time to receive a request's headers. Default 10s.
  --web.read-timeout=DURATION Time to receive a whole request, body included; a stalled body is
                              cut after this (plus at most 1s). Default 30s.
  --web.idle-timeout=DURATION How long a kept-alive connection waits for its next request.
                              Default 60s.
  --web.max-connections=N     Open connections at most; an eighth of them is kept for /metrics
                              (see exporter/SECURITY.md). Default 512.
  --storage.path=DIR          Writable folder for state (created when missing). Default data/.
  --storage.snapshot-interval=DURATION
                              How often the window state is snapshotted to --storage.path (and
                              restored at start): a kill -9 loses at most this much. Default 30s.
  --shutdown.timeout=DURATION On SIGTERM: finish in-flight requests, stop sources, write a final
                              snapshot, and exit within this time. Default 25s (Kubernetes
                              waits 30s before SIGKILL).
  --log.level=LEVEL           Only log messages at this level or above: debug, info, warn,
                              error. Default info.
  --log.format=FORMAT         Log lines as logfmt (ts=… level=… msg="…") or json. Default logfmt.
  --help                      Show this help.
  --version                   Show the version.

Endpoints: /metrics, /-/healthy, /-/ready, POST /-/reload (with --web.enable-lifecycle),
POST /api/v1/records and /api/v1/labels, and a landing page at /. SIGHUP reloads the config.
Docs: exporter/README.md and exporter/METRICS.md.`;

export interface ExporterFlags {
  configFile?: string;
  webConfigFile?: string;
  enableLifecycle: boolean;
  connections: ConnectionLimits;
  listen: { host: string; port: number };
  storagePath: string;
  snapshotIntervalMs: number;
  shutdownTimeoutMs: number;
  log: { level: LogLevel; format: LogFormat };
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export function parseExporterFlags(argv: string[]): ExporterFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'config.file': { type: 'string' },
        'web.listen-address': { type: 'string', default: DEFAULT_LISTEN_ADDRESS },
        'web.config.file': { type: 'string' },
        'web.enable-lifecycle': { type: 'boolean', default: false },
        'web.read-header-timeout': { type: 'string', default: '10s' },
        'web.read-timeout': { type: 'string', default: '30s' },
        'web.idle-timeout': { type: 'string', default: '60s' },
        'web.max-connections': { type: 'string', default: String(DEFAULT_CONNECTION_LIMITS.maxConnections) },
        'storage.path': { type: 'string', default: 'data/' },
        'storage.snapshot-interval': { type: 'string', default: '30s' },
        'shutdown.timeout': { type: 'string', default: '25s' },
        'log.level': { type: 'string', default: 'info' },
        'log.format': { type: 'string', default: 'logfmt' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return {
    configFile: values['config.file'],
    webConfigFile: values['web.config.file'],
    enableLifecycle: values['web.enable-lifecycle']!,
    connections: {
      readHeaderTimeoutMs: positiveDuration('web.read-header-timeout', values['web.read-header-timeout']!),
      readTimeoutMs: positiveDuration('web.read-timeout', values['web.read-timeout']!),
      idleTimeoutMs: positiveDuration('web.idle-timeout', values['web.idle-timeout']!),
      maxConnections: connectionCount(values['web.max-connections']!),
    },
    listen: parseListenAddress(values['web.listen-address']!),
    storagePath: values['storage.path']!,
    snapshotIntervalMs: durationFlag('storage.snapshot-interval', values['storage.snapshot-interval']!),
    shutdownTimeoutMs: durationFlag('shutdown.timeout', values['shutdown.timeout']!),
    log: {
      level: oneOf('log.level', values['log.level']!, LOG_LEVELS),
      format: oneOf('log.format', values['log.format']!, LOG_FORMATS),
    },
    help: values.help!,
    version: values.version!,
  };
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name}: "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

function durationFlag(name: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--${name}: "${text}" is not a duration (e.g. 30s, 500ms, 1m)`);
  return ms;
}

function positiveDuration(name: string, text: string): number {
  const ms = durationFlag(name, text);
  if (ms <= 0) throw new UsageError(`--${name}: must be longer than 0`);
  return ms;
}

function connectionCount(text: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 4 || count > 1_000_000) {
    throw new UsageError(`--web.max-connections: "${text}" is not a whole number from 4 to 1000000`);
  }
  return count;
}

/** "[host]:port"; an empty host listens on every IPv4 interface, as Prometheus exporters do. */
export function parseListenAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new UsageError(`--web.listen-address: "${address}" is not [host]:port (e.g. :9877 or 127.0.0.1:9877)`);
  }
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}
