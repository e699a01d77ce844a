// The mlmon package as users install it: built (npm run build) and its bin run from a copy without
// the TypeScript sources beside it, so that the built JavaScript runs, not the sources through tsx.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';

/** Builds the exporter package into `out`/mlmon-built and returns the path of its `mlmon` bin. */
export function builtMlmonBin(out = 'bench/out') {
  execFileSync('npm', ['run', 'build', '-w', 'exporter'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = `${out}/mlmon-built`;
  rmSync(dir, { recursive: true, force: true });
  for (const part of ['bin', 'dist', 'package.json']) cpSync(`exporter/${part}`, `${dir}/${part}`, { recursive: true });
  return `${dir}/bin/mlmon.mjs`;
}
