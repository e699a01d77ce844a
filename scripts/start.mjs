// `npm start`: installs the npm packages when missing, then runs the exporter on its embedded
// default (the demo model with drifting traffic). Flags after `--` go to the exporter.
import { spawn } from 'node:child_process';
import { ensureNodeModules, ROOT } from './setup.mjs';

ensureNodeModules();
const child = spawn(process.execPath, [`${ROOT}/exporter/bin/mlmon-exporter.mjs`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
