// mlmon-exporter's command-line flags, spelled the Prometheus way (--config.file=…).
import { parseArgs } from 'node:util';

export const DEFAULT_LISTEN_ADDRESS = ':9877';

export const EXPORTER_HELP = `usage: mlmon-exporter [<flags>]

Publishes drift, data-quality and health metrics of ML models for Prometheus.

Flags:
  --config.file=PATH          YAML config (models, references, windows). Without it the exporter
                              runs its embedded default: the demo model with synthetic traffic.
  --web.listen-address=ADDR   Address to listen on, [host]:port. Default ${DEFAULT_LISTEN_ADDRESS}.
  --storage.path=DIR          Writable folder for state (created when missing). Default data/.
  --help                      Show this help.
  --version                   Show the version.

Endpoints: /metrics, /-/healthy, /-/ready, POST /api/v1/records, and a landing page at /.
Docs: README.md and exporter/METRICS.md.`;

export interface ExporterFlags {
  configFile?: string;
  listen: { host: string; port: number };
  storagePath: string;
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
        'storage.path': { type: 'string', default: 'data/' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return {
    configFile: values['config.file'],
    listen: parseListenAddress(values['web.listen-address']!),
    storagePath: values['storage.path']!,
    help: values.help!,
    version: values.version!,
  };
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
