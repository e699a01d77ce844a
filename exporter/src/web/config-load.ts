// Reads and validates --web.config.file. Every error names the file, the line and the key, the
// way config/load.ts does for the main config; a secret's value never appears in an error.
import { parseYamlWith } from '../config/yaml.ts';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { webConfigSchema, type WebConfig } from './config-schema.ts';

export class WebConfigError extends Error {}

export function loadWebConfigFile(path: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new WebConfigError(`cannot read web config file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return resolvePaths(parseWebConfig(text, path), dirname(resolve(path)));
}

export function parseWebConfig(text: string, fileName = '<web config>'): WebConfig {
  // The parser's message may quote the text around an error, a secret perhaps: give its code only.
  return parseYamlWith(text, fileName, webConfigSchema, (message) => new WebConfigError(message), {
    quoteParserMessage: false,
  });
}

/** File paths are relative to the web config file, as exporter-toolkit resolves them. */
function resolvePaths(config: WebConfig, baseDir: string): WebConfig {
  const at = (path: string | undefined) => (path === undefined || isAbsolute(path) ? path : resolve(baseDir, path));
  const tls = config.tls_server_config;
  if (tls) {
    tls.cert_file = at(tls.cert_file);
    tls.key_file = at(tls.key_file);
    tls.client_ca_file = at(tls.client_ca_file);
  }
  if (config.ingest_auth) config.ingest_auth.bearer_tokens_file = at(config.ingest_auth.bearer_tokens_file);
  return config;
}
