// Small real services on loopback port 0: the demo model of examples/demo-model and a webhook
// receiver that keeps every JSON body POSTed to it.
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { boundPort, ready, spawnManaged, type Managed } from './process.ts';
import { ROOT } from './base.ts';

export interface RunningService extends Managed {
  url: string;
  port: number;
}

/** The line in which the demo model names the port it bound. */
export const DEMO_MODEL_LISTENING = /demo-model: .* on http:\/\/127\.0\.0\.1:(\d+)/;

/** The demo model service (`server` under `examples/demo-model`, or another entry), posting to `exporterUrl`. */
export async function startDemoModel(
  exporterUrl: string,
  env: Record<string, string | undefined> = {},
  entry = join(ROOT, 'examples/demo-model/server.mjs'),
): Promise<RunningService> {
  const managed = spawnManaged(process.execPath, [entry], {
    env: { ...process.env, MLMON_URL: exporterUrl, ...env, PORT: '0', HOST: '127.0.0.1' },
  });
  const port = await boundPort(managed, 'the demo model to listen', DEMO_MODEL_LISTENING);
  const url = `http://127.0.0.1:${port}`;
  await ready(managed, 'demo model /healthz', `${url}/healthz`);
  return Object.assign(managed, { url, port });
}

export interface Webhook {
  url: string;
  received: { path: string; body: unknown }[];
  stop(): Promise<void>;
}

export async function startWebhook(): Promise<Webhook> {
  const received: Webhook['received'] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      try {
        received.push({ path: request.url ?? '/', body: JSON.parse(body) });
      } catch {
        received.push({ path: request.url ?? '/', body });
      }
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
