// Reads and validates --web.config.file. Every error names the file, the line and the key, the
// way config/load.ts does for the main config; a secret's value never appears in an error.
import { lineOf } from '../config/load.ts';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, type Node } from 'yaml';
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const { line, col } = lineCounter.linePos(err.pos[0]);
    // The error's code, not its message: a message may quote the text around it (a secret).
    throw new WebConfigError(`${fileName}:${line}:${col}: invalid YAML (${err.code})`);
  }
  const raw = doc.toJS() ?? {};
  const parsed = webConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const at = keys.length > 0 ? [...path, keys[0]] : path;
    const line = lineOf(doc.contents as Node | null, at, lineCounter);
    const key = [...path, ...keys].join('.') || '(top level)';
    return `${fileName}:${line}: ${key}: ${issue.message}`;
  });
  throw new WebConfigError(messages.join('\n'));
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
