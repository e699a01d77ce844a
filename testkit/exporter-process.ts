// mlmon-exporter as its own process, from the TypeScript sources (exporter/scripts/dev-mlmon-exporter.mjs),
// on loopback port 0: it prints `listening on http://127.0.0.1:PORT` once bound, and that line is where
// the port comes from.
import type { SpawnOptions } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boundPort, ready, spawnManaged, type Managed } from './process.ts';
import { ROOT, tempDir } from './base.ts';

export const EXPORTER_BIN = join(ROOT, 'exporter/scripts/dev-mlmon-exporter.mjs');
/** The exporter's start-up line naming the address it bound. */
export const EXPORTER_LISTENING = /listening on https?:\/\/\S+:(\d+)/;

export interface ExporterProcess extends Managed {
  url: string;
  port: number;
}

/**
 * Starts `node <bin> ...args` (bin: the exporter of this checkout unless given) and resolves once it
 * names its port. Pass `--web.listen-address=127.0.0.1:0` (or let `listenAnyPort` add it).
 */
export async function spawnExporter(
  args: string[],
  options: SpawnOptions & { removeOnStop?: string[]; bin?: string; https?: boolean } = {},
): Promise<ExporterProcess> {
  const { bin = EXPORTER_BIN, https = false, ...spawnOptions } = options;
  const managed = spawnManaged(process.execPath, [bin, ...listenAnyPort(args)], spawnOptions);
  const port = await boundPort(managed, 'mlmon-exporter to listen', EXPORTER_LISTENING);
  return Object.assign(managed, { port, url: `${https ? 'https' : 'http'}://127.0.0.1:${port}` });
}

/** The arguments with `--web.listen-address` set to loopback port 0 (replaced when present). */
export function listenAnyPort(args: string[]): string[] {
  const rest = args.filter((a) => !a.startsWith('--web.listen-address='));
  return [...rest, '--web.listen-address=127.0.0.1:0'];
}

/** The exporter with `configYaml` as its config file and a scratch storage folder, both removed on stop. */
export async function startExporterWithConfig(configYaml: string): Promise<ExporterProcess> {
  const dir = tempDir('exporter');
  const configFile = join(dir, 'mlmon.yml');
  writeFileSync(configFile, configYaml);
  const exporter = await spawnExporter([`--config.file=${configFile}`, `--storage.path=${join(dir, 'data')}`], {
    removeOnStop: [dir],
  });
  await ready(exporter, 'mlmon-exporter /-/healthy', `${exporter.url}/-/healthy`);
  return exporter;
}
