// `npm run package`: zips dist/ as mlmon-drift-panel-<version>.zip (and its .sha1) with one top folder named
// after the plugin id, the layout `grafana cli --pluginUrl` and the plugin catalog expect.
// Builds first when dist/ is missing or older than the sources.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeZip } from './zip.mjs';

export const PLUGIN_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIST = join(PLUGIN_DIR, 'dist');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [join(dir, e.name) + '/', ...files(join(dir, e.name))] : [join(dir, e.name)],
  );
}

function newest(paths) {
  let t = 0;
  for (const p of paths) {
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(readdirSync(p).map((f) => join(p, f))) : st.mtimeMs);
  }
  return t;
}

/** True when dist/module.js is missing or older than anything it is built from. */
export function buildIsStale() {
  const module = join(DIST, 'module.js');
  if (!existsSync(module)) return true;
  const inputs = ['src', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.config/webpack.config.mjs'];
  return newest(inputs.map((p) => join(PLUGIN_DIR, p))) > statSync(module).mtimeMs;
}

export function build() {
  const webpack = join(PLUGIN_DIR, '..', 'node_modules', '.bin', 'webpack');
  const bin = existsSync(webpack) ? webpack : join(PLUGIN_DIR, 'node_modules', '.bin', 'webpack');
  const result = spawnSync(bin, ['-c', './.config/webpack.config.mjs', '--env', 'production'], {
    cwd: PLUGIN_DIR,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`webpack build failed (exit ${result.status})`);
}

/** Builds when stale; a lock directory keeps concurrent test files from building at once. */
export function ensureBuilt() {
  const lock = join(PLUGIN_DIR, '.build.lock');
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 180_000)
        rmSync(lock, { recursive: true, force: true });
      Atomics.wait(sleeper, 0, 0, 200);
    }
  }
  try {
    if (buildIsStale()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function packagePlugin() {
  ensureBuilt();
  const pluginJson = JSON.parse(readFileSync(join(DIST, 'plugin.json'), 'utf8'));
  const { version } = JSON.parse(readFileSync(join(PLUGIN_DIR, 'package.json'), 'utf8'));
  const id = pluginJson.id;
  const entries = [{ name: `${id}/` }];
  for (const file of files(DIST).sort()) {
    const rel = relative(DIST, file).split('\\').join('/');
    entries.push(file.endsWith('/') ? { name: `${id}/${rel}/` } : { name: `${id}/${rel}`, data: readFileSync(file) });
  }
  const out = join(PLUGIN_DIR, `${id}-${version}.zip`);
  const zip = writeZip(entries);
  writeFileSync(out, zip);
  // `sha1sum -c` format, what the plugin catalog's submission form asks for beside the zip URL.
  writeFileSync(`${out}.sha1`, `${createHash('sha1').update(zip).digest('hex')}  ${basename(out)}\n`);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = packagePlugin();
  console.log(`wrote ${relative(process.cwd(), out)} and ${relative(process.cwd(), out)}.sha1`);
}
