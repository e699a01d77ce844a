// Reads and validates the YAML config. Every error names the file, the line and the key.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { configSchema, type Config } from './schema.ts';

export class ConfigError extends Error {}

export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  return resolvePaths(parseConfig(text, path), dirname(resolve(path)));
}

export function parseConfig(text: string, fileName = '<config>'): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const { line, col } = lineCounter.linePos(err.pos[0]);
    throw new ConfigError(`${fileName}:${line}:${col}: invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) {
    checkUniqueNames(parsed.data, fileName);
    return parsed.data;
  }
  const messages = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const at = keys.length > 0 ? [...path, keys[0]] : path;
    const line = lineOf(doc.contents as Node | null, at, lineCounter);
    const key = [...path, ...keys].join('.') || '(top level)';
    return `${fileName}:${line}: ${key}: ${issue.message}`;
  });
  throw new ConfigError(messages.join('\n'));
}

/** The line of the deepest YAML node that exists along `path`. */
export function lineOf(root: Node | null, path: string[], counter: LineCounter): number {
  let node: Node | null = root;
  let offset = root?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown })?.value) === key);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return counter.linePos(offset).line;
}

function checkUniqueNames(config: Config, fileName: string): void {
  const seen = new Set<string>();
  for (const model of config.models) {
    if (seen.has(model.name)) throw new ConfigError(`${fileName}: models: duplicate model name "${model.name}"`);
    seen.add(model.name);
  }
}

/** Paths in the config are relative to the config file, as in Prometheus' own configs. */
function resolvePaths(config: Config, baseDir: string): Config {
  const local = (path: string) => (isAbsolute(path) || /^https?:\/\//.test(path) ? path : resolve(baseDir, path));
  for (const model of config.models) model.reference.path = local(model.reference.path);
  for (const source of config.sources) {
    if (source.type === 'file') source.path = local(source.path);
    if (source.type === 'probe') {
      if (source.payloads_file) source.payloads_file = local(source.payloads_file);
      if (source.golden) source.golden.path = local(source.golden.path);
    }
    if (source.type === 'postgres') {
      if (source.connection.password_file) source.connection.password_file = local(source.connection.password_file);
      if (source.connection.ssl_ca_file) source.connection.ssl_ca_file = local(source.connection.ssl_ca_file);
    }
  }
  return config;
}
