// A tiny real HTTP model on loopback for the probe tests: POST a JSON body, get
// `{"prediction": predict(body)}` back — or, when told, a hang, a 500, or a malformed answer.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';

export type ModelMode =
  /** 200 with {"prediction": …}. */
  | 'ok'
  /** Reads the request and never answers. */
  | 'hang'
  /** Sends 200 and half a body, then stalls. */
  | 'hang-body'
  /** 500 with a JSON error body. */
  | 'error'
  /** 200 with a body that is not JSON. */
  | 'malformed'
  /** 200 with JSON lacking the prediction field. */
  | 'missing-field'
  /** 200 with the prediction of the wrong type (an object). */
  | 'wrong-type';

export interface ModelServer {
  url: string;
  /** How every request is answered from now on (after any queued one-off modes). */
  mode: ModelMode;
  /** Answers are delayed by this much in `ok` mode. */
  delayMs: number;
  /** The next requests are answered in these modes, one each, before `mode` applies again. */
  queue: ModelMode[];
  requests: number;
  bodies: unknown[];
  /** Method and headers of the last request. */
  last?: { method: string; headers: IncomingHttpHeaders };
  close(): Promise<void>;
}

export async function startModelServer(predict: (body: unknown) => unknown): Promise<ModelServer> {
  const state: ModelServer = {
    url: '',
    mode: 'ok',
    delayMs: 0,
    queue: [],
    requests: 0,
    bodies: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      state.requests++;
      state.last = { method: req.method ?? '', headers: req.headers };
      const mode = state.queue.shift() ?? state.mode;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad json"}');
        return;
      }
      state.bodies.push(body);
      const json = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      switch (mode) {
        case 'ok':
          if (state.delayMs > 0) setTimeout(() => json(200, { prediction: predict(body) }), state.delayMs);
          else json(200, { prediction: predict(body) });
          return;
        case 'hang':
          return;
        case 'hang-body':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"prediction":');
          return;
        case 'error':
          json(500, { error: 'model failed' });
          return;
        case 'malformed':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"prediction": 0.3');
          return;
        case 'missing-field':
          json(200, { result: predict(body) });
          return;
        case 'wrong-type':
          json(200, { prediction: { value: predict(body) } });
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/predict`;
  return state;
}
