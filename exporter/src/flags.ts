// mlmon-exporter's command-line flags, spelled the Prometheus way (--config.file=…).
import { parseArgs } from 'node:util';
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
  --storage.path=DIR          Writable folder for state (created when missing). Default data/.
  --storage.snapshot-interval=DURATION
                              How often the window state is snapshotted to --storage.path (and
                              restored at start): a kill -9 loses at most this much. Default 30s.
  --shutdown.timeout=DURATION On SIGTERM: finish in-flight requests, stop sources, write a final
                              snapshot, and exit within this time. Default 25s (Kubernetes
                              waits 30s before SIGKILL).
  --help                      Show this help.
  --version                   Show the version.

Endpoints: /metrics, /-/healthy, /-/ready, POST /-/reload, POST /api/v1/records and
/api/v1/labels, and a landing page at /. SIGHUP reloads the config.
Docs: exporter/README.md and exporter/METRICS.md.`;

export interface ExporterFlags {
  configFile?: string;
  webConfigFile?: string;
  listen: { host: string; port: number };
  storagePath: string;
  snapshotIntervalMs: number;
  shutdownTimeoutMs: number;
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
        'storage.path': { type: 'string', default: 'data/' },
        'storage.snapshot-interval': { type: 'string', default: '30s' },
        'shutdown.timeout': { type: 'string', default: '25s' },
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
    listen: parseListenAddress(values['web.listen-address']!),
    storagePath: values['storage.path']!,
    snapshotIntervalMs: durationFlag('storage.snapshot-interval', values['storage.snapshot-interval']!),
    shutdownTimeoutMs: durationFlag('shutdown.timeout', values['shutdown.timeout']!),
    help: values.help!,
    version: values.version!,
  };
}

function durationFlag(name: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--${name}: "${text}" is not a duration (e.g. 30s, 500ms, 1m)`);
  return ms;
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
