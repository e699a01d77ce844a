// Builds dist/: the exporter and the CLI as ES modules for Node 20 (esbuild), with source maps.
// npm dependencies stay external (installed beside the package). Code that only some runs need
// (a command of the CLI, the exporter once past its flags, a source kind's client) is imported
// dynamically and lands in its own chunk, so `--help` or `mlmon drift` read only what they use.
// Source maps carry no sources' text: stack traces name src/ files and lines without holding
// every source file in the running process' heap.
//   node exporter/scripts/build.mjs           build
//   node exporter/scripts/build.mjs --if-stale build only when dist/ is missing or older than src/
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXPORTER = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(EXPORTER, 'dist');
/** The entry files a build writes: the older one's age is the build's. */
const ENTRIES = ['exporter.js', 'mlmon.js'].map((f) => join(DIST, f));

/** The newest modification time of a file under `dir` (recursively). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** True when dist/ is missing or a source, the build script or package.json changed after it was built. */
export function isStale() {
  let built;
  try {
    built = Math.min(...ENTRIES.map((f) => statSync(f).mtimeMs));
  } catch {
    return true;
  }
  const inputs = [join(EXPORTER, 'package.json'), fileURLToPath(import.meta.url)].map((f) => statSync(f).mtimeMs);
  return Math.max(newest(join(EXPORTER, 'src')), ...inputs) > built;
}

export async function build() {
  // esbuild is a dev dependency: loaded only when a build runs.
  const esbuild = await import('esbuild');
  rmSync(DIST, { recursive: true, force: true }); // chunk names carry hashes: old ones would pile up
  await esbuild.build({
    absWorkingDir: EXPORTER,
    entryPoints: { exporter: 'src/main.ts', mlmon: 'src/cli/main.ts' },
    bundle: true,
    splitting: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    sourcesContent: false,
    outdir: 'dist',
    logLevel: 'warning',
  });
}

/** Builds when stale (see isStale); returns whether it built. */
export async function buildIfStale() {
  if (!isStale()) return false;
  await build();
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale')) await buildIfStale();
  else await build();
}
