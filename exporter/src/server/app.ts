// The HTTP server: metrics, health, the landing page and the ingest API.
import Fastify, { type FastifyInstance } from 'fastify';
import type { IngestConfig } from '../config/schema.ts';
import { renderMetrics } from '../metrics/collect.ts';
import { CONTENT_TYPE } from '../metrics/exposition.ts';
import type { ExporterState } from '../state.ts';
import { ingestItems } from './ingest.ts';
import { landingPage } from './landing.ts';
import { BodyError, parseJsonBody, parseNdjsonBody, type BodyItem } from './parse-body.ts';

export const HTTP_SOURCE = 'http';

export function buildApp(state: ExporterState, ingest: IngestConfig): FastifyInstance {
  const app = Fastify({ bodyLimit: ingest.max_request_bytes, logger: false });

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
  app.get('/metrics', async (_req, reply) => reply.type(CONTENT_TYPE).send(renderMetrics(state)));
  app.get('/-/healthy', async (_req, reply) => reply.type('text/plain').send('mlmon exporter is healthy.\n'));
  app.get('/-/ready', async (_req, reply) =>
    state.ready
      ? reply.type('text/plain').send('mlmon exporter is ready.\n')
      : reply.code(503).type('text/plain').send('mlmon exporter is not ready: references are loading.\n'),
  );

  app.post('/api/v1/records', async (request, reply) => {
    const items = request.body as BodyItem[] | undefined;
    if (!Array.isArray(items)) {
      state.countResponse(415);
      return reply
        .code(415)
        .send({ accepted: 0, rejected: [], error: 'send application/json or application/x-ndjson' });
    }
    if (items.length > ingest.max_records_per_request) {
      state.countResponse(413);
      return reply.code(413).send({
        accepted: 0,
        rejected: [],
        error: `batch of ${items.length} records exceeds ${ingest.max_records_per_request}`,
      });
    }
    const result = ingestItems(state, items, { maxFeatures: ingest.max_features_per_record });
    state.countResponse(result.status);
    if (result.body.accepted > 0) state.sourceSucceeded(HTTP_SOURCE, { records: result.body.accepted });
    return reply.code(result.status).send(result.body);
  });
  return app;
}
