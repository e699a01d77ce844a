// `npm start`: installs the npm packages when missing, builds the exporter's dist/ when it is
// missing or older than its sources, then runs the built exporter (as the npm package and the
// image do) on its embedded default: the demo model with drifting traffic. Flags after `--` go to
// the exporter.
import { spawn } from 'node:child_process';
import { EXPORTER_ENV, EXPORTER_NODE_FLAGS } from '../exporter/scripts/node-flags.mjs';
import { ensureNodeModules, ROOT } from './setup.mjs';

ensureNodeModules();
// Imported after npm ci: the build script loads esbuild, a dev dependency.
const { buildIfStale } = await import('../exporter/scripts/build.mjs');
if (await buildIfStale()) console.log('built exporter/dist');
const child = spawn(
  process.execPath,
  [...EXPORTER_NODE_FLAGS, `${ROOT}/exporter/bin/mlmon-exporter.mjs`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, ...EXPORTER_ENV } },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
