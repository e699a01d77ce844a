// The HTTP server: metrics, health, the landing page and the ingest API.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { IngestConfig } from '../config/schema.ts';
import { renderPage } from '../metrics/collect.ts';
import { runtimeMetrics } from '../metrics/runtime.ts';
import { CONTENT_TYPE } from '../metrics/exposition.ts';
import type { Exporter } from '../exporter.ts';
import { WebSecurity } from '../web/security.ts';
import { ingestItems } from './ingest.ts';
import { ingestLabels } from './ingest-labels.ts';
import { landingPage } from './landing.ts';
import { BodyError, parseJsonBody, parseNdjsonBody, type BodyItem } from './parse-body.ts';

export const HTTP_SOURCE = 'http';

export function buildApp(
  state: Exporter,
  ingest: IngestConfig,
  reload?: () => Promise<{ ok: boolean; error?: string }>,
  web: WebSecurity = new WebSecurity(),
): FastifyInstance {
  const app = Fastify({
    bodyLimit: ingest.max_request_bytes,
    logger: false,
    ...(web.https ? { https: web.https } : {}),
  }) as unknown as FastifyInstance;
  // TLS, auth, ingest rate limits and security headers (--web.config.file), before any body is read.
  web.install(app, (code) => state.countResponse(code));

  // Bodies are parsed here, not by Fastify, to bound nesting and to keep the good NDJSON lines.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string, ingest.max_depth));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseNdjsonBody(body as string, ingest.max_depth));
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error instanceof BodyError ? 400 : (error.statusCode ?? 500);
    if (error instanceof BodyError) state.countRejected(error.reason);
    if (request.url.startsWith('/api/')) state.sourceError(HTTP_SOURCE, `status_${status}`);
    if (request.url.startsWith('/api/')) state.countResponse(status);
    const message =
      status === 413
        ? `request body exceeds ${ingest.max_request_bytes} bytes`
        : status === 415
          ? `unsupported content type "${request.headers['content-type'] ?? ''}": use application/json or application/x-ndjson`
          : error.message;
    void reply.code(status).send({ accepted: 0, rejected: [], error: message });
  });

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(landingPage(state)));
  const unregister = [state.metrics.register(web.counters.collect), state.metrics.registerText(runtimeMetrics)];
  app.addHook('onClose', async () => unregister.forEach((remove) => remove()));
  app.get('/metrics', async (_req, reply) => reply.type(CONTENT_TYPE).send(await renderPage(state)));
  app.get('/-/healthy', async (_req, reply) => reply.type('text/plain').send('mlmon exporter is healthy.\n'));
  app.post('/-/reload', async (_req, reply) => {
    if (!reload) return reply.code(404).type('text/plain').send('reload is not available\n');
    const result = await reload();
    return result.ok
      ? reply.type('text/plain').send('config reloaded\n')
      : reply.code(500).type('text/plain').send(`config reload failed: ${result.error}\n`);
  });
  app.get('/-/ready', async (_req, reply) =>
    state.ready
      ? reply.type('text/plain').send('mlmon exporter is ready.\n')
      : reply.code(503).type('text/plain').send('mlmon exporter is not ready: references are loading.\n'),
  );

  /** The body's items, or undefined after answering when there are none to read or too many. */
  const batchOf = (request: FastifyRequest, reply: FastifyReply): BodyItem[] | undefined => {
    const items = request.body as BodyItem[] | undefined;
    let error: string | undefined;
    let status = 415;
    if (!Array.isArray(items)) error = 'send application/json or application/x-ndjson';
    else if (items.length > ingest.max_records_per_request) {
      status = 413;
      error = `batch of ${items.length} records exceeds ${ingest.max_records_per_request}`;
    }
    if (error === undefined) return items;
    state.countResponse(status);
    void reply.code(status).send({ accepted: 0, rejected: [], error });
    return undefined;
  };

  app.post('/api/v1/records', async (request, reply) => {
    const items = batchOf(request, reply);
    if (!items) return reply;
    const started = performance.now();
    const result = ingestItems(state, items, { maxFeatures: ingest.max_features_per_record });
    state.countResponse(result.status);
    const durationMs = performance.now() - started;
    if (result.body.accepted > 0) state.sourceSucceeded(HTTP_SOURCE, { records: result.body.accepted, durationMs });
    else state.sourceError(HTTP_SOURCE, `status_${result.status}`);
    return reply.code(result.status).send(result.body);
  });

  app.post('/api/v1/labels', async (request, reply) => {
    const items = batchOf(request, reply);
    if (!items) return reply;
    const result = ingestLabels(state, items);
    state.countResponse(result.status);
    return reply.code(result.status).send(result.body);
  });
  return app;
}
