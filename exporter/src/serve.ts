// The running exporter, once its flags are parsed (main.ts): config, state, sources and the HTTP
// server, wired together, until SIGTERM/SIGINT.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { ConfigError, loadConfigFile } from './config/load.ts';
import { configSchema, type Config } from './config/schema.ts';
import type { ExporterFlags } from './flags.ts';
import { buildApp } from './server/app.ts';
import { Reloader } from './reload.ts';
import { snapshotCollector } from './snapshot/collect.ts';
import { logRestore } from './snapshot/restore.ts';
import { SnapshotScheduler } from './snapshot/scheduler.ts';
import { shutDown } from './snapshot/shutdown.ts';
import { startState } from './startup.ts';
import { installLogging } from './log.ts';
import { BUILD } from './version.ts';
import { loadWebSecurity, openIngestWarning, type WebSecurity } from './web/security.ts';

/** The embedded default: the demo model and its synthetic traffic. */
export const DEFAULT_CONFIG: Config = configSchema.parse({ demo: { enabled: true } });

/** Runs the exporter with `flags`; resolves to the process' exit code once it has stopped. */
export async function serve(flags: ExporterFlags): Promise<number> {
  installLogging(flags.log);

  let config: Config;
  try {
    config = flags.configFile ? loadConfigFile(flags.configFile) : DEFAULT_CONFIG;
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : `${flags.configFile}: ${(err as Error).message}`;
    console.error(`mlmon-exporter: ${message}`);
    return 1;
  }
  try {
    mkdirSync(flags.storagePath, { recursive: true });
    accessSync(flags.storagePath, constants.W_OK);
  } catch (err) {
    console.error(`mlmon-exporter: --storage.path: ${(err as Error).message}`);
    return 1;
  }

  let web: WebSecurity;
  try {
    web = loadWebSecurity(flags.webConfigFile);
  } catch (err) {
    console.error(`mlmon-exporter: ${(err as Error).message}`);
    return 1;
  }

  let started;
  try {
    started = await startState(config, { storagePath: flags.storagePath, restoreSnapshot: true });
  } catch (err) {
    console.error(`mlmon-exporter: ${(err as Error).message}`);
    return 1;
  }
  const { state, sources } = started;
  const snapshots = new SnapshotScheduler(state, { dir: flags.storagePath, intervalMs: flags.snapshotIntervalMs });
  if (started.restore) {
    snapshots.status.recordRestore(started.restore, state.models);
    logRestore(started.restore, snapshots.path);
  }
  state.metrics.register(snapshotCollector(state, snapshots.status));
  const reloader = new Reloader(flags.configFile, state, sources, flags.storagePath);
  const reload = async () => {
    const result = await reloader.reload();
    if (!result.ok) console.error(`mlmon-exporter: config reload failed, keeping the running config: ${result.error}`);
    return result;
  };
  const app = buildApp(state, config.ingest, flags.enableLifecycle ? reload : undefined, web, {
    limits: config.limits,
    connections: flags.connections,
  });
  try {
    await app.listen({ host: flags.listen.host, port: flags.listen.port });
  } catch (err) {
    console.error(
      `mlmon-exporter: cannot listen on ${flags.listen.host}:${flags.listen.port}: ${(err as Error).message}`,
    );
    return 1;
  }
  for (const source of sources) source.start();
  snapshots.start();
  const shown = flags.listen.host === '0.0.0.0' || flags.listen.host === '::' ? 'localhost' : flags.listen.host;
  const hostPart = shown.includes(':') ? `[${shown}]` : shown;
  const bound = app.server.address() as { address: string; port: number };
  const port = bound.port;
  // The address actually bound: with port 0 (any free port) this is how a caller learns the port.
  const boundHost = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  console.log(`listening on ${web.https ? 'https' : 'http'}://${boundHost}:${port}`);
  console.log(
    `mlmon-exporter ${BUILD.version}: ${state.models.size} model(s) [${[...state.models.keys()].join(', ')}]` +
      (config.demo?.enabled ? ', demo traffic on' : ''),
  );
  console.log(`metrics at ${web.https ? 'https' : 'http'}://${hostPart}:${port}/metrics`);
  const openIngest = openIngestWarning(flags.listen.host, web);
  if (openIngest) console.error(`mlmon-exporter: warning: ${openIngest}`);

  const onHangup = () => void reload();
  process.on('SIGHUP', onHangup);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  process.off('SIGHUP', onHangup);
  return shutDown({
    stopTimer: () => snapshots.stop(),
    closeServer: () => app.close(),
    forceClose: () => app.server.closeAllConnections(),
    stopSources: () => reloader.stop(),
    snapshot: () => snapshots.snapshot(),
    timeoutMs: flags.shutdownTimeoutMs,
  });
}
