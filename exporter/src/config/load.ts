// Reads and validates the YAML config. Every error names the file, the line and the key.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseYamlWith } from './yaml.ts';
import { resolveSourcePaths } from '../sources/registry.ts';
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
  const config = parseYamlWith(text, fileName, configSchema, (message) => new ConfigError(message));
  checkUniqueNames(config, fileName);
  return config;
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
  for (const model of config.models) {
    model.reference.path = local(model.reference.path);
    const estimation = model.performance.estimation;
    if (estimation) estimation.reference.path = local(estimation.reference.path);
  }
  for (const source of config.sources) resolveSourcePaths(source, local);
  return config;
}
