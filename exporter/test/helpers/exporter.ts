// Starts the real exporter (state, sources and HTTP server) in this process on a loopback port.
import { parseConfig } from '../../src/config/load.ts';
import { buildApp } from '../../src/server/app.ts';
import { startState } from '../../src/startup.ts';
import type { Exporter } from '../../src/exporter.ts';

export interface RunningExporter {
  url: string;
  port: number;
  state: Exporter;
  stop(): Promise<void>;
}

export async function startExporter(yamlConfig: string): Promise<RunningExporter> {
  const config = parseConfig(yamlConfig, 'test.yml');
  const { state, sources } = await startState(config);
  const app = buildApp(state, config.ingest);
  await app.listen({ host: '127.0.0.1', port: 0 });
  for (const source of sources) source.start();
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    stop: async () => {
      for (const source of sources) await source.stop();
      await app.close();
    },
  };
}

export async function postRecords(
  url: string,
  body: string,
  contentType = 'application/json',
): Promise<{
  status: number;
  body: {
    accepted: number;
    late: number;
    rejected: { index: number; field: string; reason: string }[];
    error?: string;
  };
}> {
  const response = await fetch(`${url}/api/v1/records`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: response.status, body: await response.json() };
}
