// Starts mlmon-exporter as its own process, the way users run it (the built dist/, built first when
// stale; the Node.js flags and environment of npm start and the image), and waits for its URL.
// BENCH_NODE_ARGS adds Node options to it, e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof'
// for a CPU profile of the exporter during a benchmark (written when it stops).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../../exporter/scripts/build.mjs';
import { EXPORTER_ENV, EXPORTER_NODE_FLAGS } from '../../exporter/scripts/node-flags.mjs';

const EXPORTER = fileURLToPath(new URL('../../exporter/bin/mlmon-exporter.mjs', import.meta.url));

export async function startExporter(configFile, nodeArgs = []) {
  await buildIfStale();
  const child = spawn(
    process.execPath,
    [
      ...EXPORTER_NODE_FLAGS,
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...nodeArgs,
      EXPORTER,
      `--config.file=${configFile}`,
      '--web.listen-address=127.0.0.1:0',
      '--storage.path=bench/out/data',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...EXPORTER_ENV },
    },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /metrics at (http:\/\/\S+)\/metrics/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exporter exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid,
    stop: () => child.kill('SIGTERM'),
    /** Stops it and waits for it to exit (a profile is written by then). */
    exited: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve))),
  };
}
