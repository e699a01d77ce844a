// The HTTP server: metrics, health, the landing page and the ingest API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fastify } from '../util/commonjs.ts';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { IngestConfig } from '../config/schema.ts';
import { renderPage } from '../metrics/collect.ts';
import { runtimeMetrics } from '../metrics/runtime.ts';
import { CONTENT_TYPE } from '../metrics/exposition.ts';
import { sendPage } from './send-page.ts';
import type { Exporter } from '../exporter.ts';
import { INGEST_ROUTES, WebSecurity } from '../web/security.ts';
import {
  ConnectionGuard,
  DEFAULT_CONNECTION_LIMITS,
  serverTimeoutOptions,
  type ConnectionLimits,
} from './connections.ts';
import { ingestItemsInSteps, ingestNdjsonInSteps } from './ingest.ts';
import { ingestLabels } from './ingest-labels.ts';
import { landingPage } from './landing.ts';
import {
  BodyError,
  NdjsonBody,
  ndjsonBody,
  parseJsonBody,
  parseNdjsonBodyInSteps,
  type BodyItem,
} from './parse-body.ts';
import { DEFAULT_LIMITS, InFlight, recordLimits, type Limits } from './limits.ts';

export const HTTP_SOURCE = 'http';
const RECORDS_ROUTE = '/api/v1/records';

export interface AppOptions {
  limits?: Limits;
  connections?: ConnectionLimits;
}

export function buildApp(
  state: Exporter,
  ingest: IngestConfig,
  /** POST /-/reload; without it (no --web.enable-lifecycle) the endpoint answers 403, as Prometheus does. */
  reload?: () => Promise<{ ok: boolean; error?: string }>,
  web: WebSecurity = new WebSecurity(),
  options: AppOptions = {},
): FastifyInstance {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const guard = new ConnectionGuard(options.connections ?? DEFAULT_CONNECTION_LIMITS);
  const timeouts = serverTimeoutOptions(guard.limits);
  const app = fastify()({
    bodyLimit: ingest.max_request_bytes,
    logger: false,
    // The server is made here so that every timeout is set when it is created (Node reads
    // connectionsCheckingInterval only then); Fastify's own defaults would wait forever for a body.
    serverFactory: (handler) => {
      const server = web.https
        ? createHttpsServer({ ...web.https, ...timeouts }, handler)
        : createHttpServer(timeouts, handler);
      guard.attach(server as Server);
      return server as Server;
    },
  }) as unknown as FastifyInstance;
  // First of all hooks: past the connections kept for /metrics, anything else is answered 503
  // before credentials are checked or a body is read.
  app.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket;
    const allowed = guard.requestStarted(socket, request.routeOptions.url);
    reply.raw.once('close', () => guard.requestFinished(socket));
    if (!allowed) return overloaded(reply, 'too many open connections');
  });
  // TLS, auth, ingest rate limits and security headers (--web.config.file), before any body is read.
  web.install(app, (code) => state.countResponse(code));

  // Bodies are parsed here, not by Fastify, to bound nesting and the number of records, and to
  // keep the good NDJSON lines. Other routes (POST /-/reload) take any body and ignore it.
  const isIngest = (request: FastifyRequest) => INGEST_ROUTES.has(request.routeOptions.url ?? '');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    async (request: FastifyRequest, body: string | Buffer) =>
      isIngest(request) ? parseJsonBody(body as string, ingest.max_depth, ingest.max_records_per_request) : undefined,
  );
  app.addContentTypeParser(
    'application/x-ndjson',
    { parseAs: 'string' },
    async (request: FastifyRequest, body: string | Buffer) => {
      if (!isIngest(request)) return undefined;
      // Records are parsed by the route, line by line as they are counted (NdjsonBody).
      if (request.routeOptions.url === RECORDS_ROUTE) {
        return ndjsonBody(body as string, ingest.max_depth, ingest.max_records_per_request);
      }
      return parseNdjsonBodyInSteps(body as string, ingest.max_depth, ingest.max_records_per_request);
    },
  );
  app.addContentTypeParser('*', (request, payload, done) => {
    if (isIngest(request)) return done(Object.assign(new Error('unsupported media type'), { statusCode: 415 }));
    payload.resume(); // drained, never kept: the request timeout bounds how long this takes
    payload.once('end', () => done(null, undefined));
    payload.once('error', (err) => done(err, undefined));
  });

  // Ingest bodies read and parsed at once are bounded in bytes (declared, or the most a body may
  // have): a request beyond is answered before its body is read.
  const inFlight = new InFlight(limits.max_concurrent_ingest * ingest.max_request_bytes, ingest.max_request_bytes);
  const ingestSlot = async (request: FastifyRequest, reply: FastifyReply) => {
    const bytes = inFlight.weigh(request.headers['content-length']);
    if (inFlight.tryTake(bytes)) {
      reply.raw.once('close', () => inFlight.release(bytes));
      return;
    }
    state.countRejected('too_many_concurrent_requests');
    state.countResponse(503);
    return overloaded(
      reply,
      `ingest bodies in progress would exceed limits.max_concurrent_ingest (${limits.max_concurrent_ingest}) × ingest.max_request_bytes (${ingest.max_request_bytes})`,
    );
  };

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error instanceof BodyError ? error.status : (error.statusCode ?? 500);
    if (error instanceof BodyError) state.countRejected(error.reason);
    if (request.url.startsWith('/api/')) state.sourceError(HTTP_SOURCE, `status_${status}`);
    if (request.url.startsWith('/api/')) state.countResponse(status);
    const message =
      error instanceof BodyError
        ? error.message
        : status === 413
          ? `request body exceeds ${ingest.max_request_bytes} bytes`
          : status === 415
            ? `unsupported content type "${request.headers['content-type'] ?? ''}": use application/json or application/x-ndjson`
            : error.message;
    void reply.code(status).send({ accepted: 0, rejected: [], error: message });
  });

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(landingPage(state)));
  const unregister = [
    state.metrics.register(web.counters.collect),
    state.metrics.register(guard.collect),
    state.metrics.registerText(runtimeMetrics),
  ];
  app.addHook('onClose', async () => unregister.forEach((remove) => remove()));
  app.get('/metrics', async (_req, reply) => sendPage(reply, CONTENT_TYPE, await renderPage(state)));
  app.get('/-/healthy', async (_req, reply) => reply.type('text/plain').send('mlmon exporter is healthy.\n'));
  const lifecycleEnabled = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (!reload) return reply.code(403).type('text/plain').send('Lifecycle API is not enabled.\n');
  };
  app.post('/-/reload', { onRequest: lifecycleEnabled }, async (_req, reply) => {
    const result = await reload!();
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

  app.post(RECORDS_ROUTE, { onRequest: ingestSlot }, async (request, reply) => {
    const started = performance.now();
    const options = {
      maxFeatures: ingest.max_features_per_record,
      limits: recordLimits(limits, ingest.max_features_per_record),
    };
    let result;
    if (request.body instanceof NdjsonBody) result = await ingestNdjsonInSteps(state, request.body, options);
    else {
      const items = batchOf(request, reply);
      if (!items) return reply;
      result = await ingestItemsInSteps(state, items, options);
    }
    state.countResponse(result.status);
    const durationMs = performance.now() - started;
    if (result.body.accepted > 0) state.sourceSucceeded(HTTP_SOURCE, { records: result.body.accepted, durationMs });
    else state.sourceError(HTTP_SOURCE, `status_${result.status}`);
    return reply.code(result.status).send(result.body);
  });

  app.post('/api/v1/labels', { onRequest: ingestSlot }, async (request, reply) => {
    const items = batchOf(request, reply);
    if (!items) return reply;
    const result = ingestLabels(state, items, Date.now(), limits);
    state.countResponse(result.status);
    return reply.code(result.status).send(result.body);
  });
  return app;
}

/** 503 with Retry-After, connection closed: the client is asked to come back, not to wait here. */
function overloaded(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(503)
    .headers({ 'retry-after': '1', connection: 'close' })
    .type('text/plain; charset=utf-8')
    .send(`${message}\n`);
}
