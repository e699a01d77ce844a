// The files a `file` source reads: one file, every file of a folder, or a glob in the last path
// segment (`logs/*.jsonl`), sorted by name so that rotated logs are read in order.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function isUrl(path: string): boolean {
  return /^https?:\/\//.test(path);
}

export function listFiles(path: string): string[] {
  if (isUrl(path)) return [path];
  const pattern = basename(path);
  if (/[*?]/.test(pattern)) {
    const regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    const dir = dirname(path);
    return readdirSync(dir)
      .filter((name) => regex.test(name))
      .sort()
      .map((name) => join(dir, name))
      .filter((file) => statSync(file).isFile());
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    return readdirSync(path)
      .sort()
      .map((name) => join(path, name))
      .filter((file) => statSync(file).isFile() && !basename(file).startsWith('.'));
  }
  return [path];
}
