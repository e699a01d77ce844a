// The request gate: puts together what --web.config.file asks for (TLS, basic auth, ingest
// bearer tokens, per-client ingest rate limits, security headers) and applies it to the fastify
// app in one onRequest hook, before any body is read.
//
// Who may do what:
// - /-/healthy: anyone when healthy_without_auth (the default), for Kubernetes probes;
// - POST /api/v1/records and /api/v1/labels: a bearer token of ingest_auth when it is set,
//   else the basic_auth_users (when set); basic-auth users cannot ingest once ingest_auth is set,
//   and ingest tokens never read /metrics or anything else;
// - everything else (/metrics, /, /-/ready, /-/reload, unknown paths): basic_auth_users, when set.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Server as TlsServer, TlsOptions } from 'node:tls';
import { BasicAuth, type AuthOutcome } from './basic-auth.ts';
import { BearerAuth } from './bearer-auth.ts';
import { loadWebConfigFile } from './config-load.ts';
import { webConfigSchema, type WebConfig } from './config-schema.ts';
import { securityHeaders } from './headers.ts';
import { SecurityCounters } from './metrics.ts';
import { ClientRateLimiter } from './rate-limit.ts';
import { TlsContext } from './tls.ts';

export const INGEST_ROUTES = new Set(['/api/v1/records', '/api/v1/labels']);
export const HEALTHY_ROUTE = '/-/healthy';
export const BASIC_CHALLENGE = 'Basic realm="mlmon", charset="UTF-8"';
export const BEARER_CHALLENGE = 'Bearer realm="mlmon"';

export interface WebSecurityOptions {
  /** How often at most the certificate and token files are checked for changes. */
  fileCheckIntervalMs?: number;
  log?: (message: string) => void;
}

export class WebSecurity {
  readonly counters = new SecurityCounters();
  readonly tls?: TlsContext;
  readonly basic?: BasicAuth;
  readonly bearer?: BearerAuth;
  readonly limiter?: ClientRateLimiter;
  readonly headers: Record<string, string>;
  /** https.createServer options when TLS is on (computed once: the files are read at start). */
  readonly https?: TlsOptions;
  private readonly healthyWithoutAuth: boolean;

  constructor(
    readonly config: WebConfig = webConfigSchema.parse({}),
    options: WebSecurityOptions = {},
  ) {
    const interval = options.fileCheckIntervalMs ?? 1000;
    const log = options.log ?? ((message: string) => console.error(`mlmon-exporter: ${message}`));
    if (config.tls_server_config) {
      this.tls = new TlsContext(
        config.tls_server_config,
        () => this.counters.countAuthFailure('client_certificate'),
        log,
        interval,
      );
      this.https = this.tls.serverOptions();
    }
    if (config.basic_auth_users && Object.keys(config.basic_auth_users).length > 0) {
      this.basic = new BasicAuth(config.basic_auth_users, 1000, config.basic_auth_limits);
    }
    if (config.ingest_auth) {
      const { bearer_tokens_file: file, bearer_tokens_env: env } = config.ingest_auth;
      this.bearer = new BearerAuth({ file, env }, log, interval);
    }
    const limit = config.ingest_rate_limit;
    if (limit) this.limiter = new ClientRateLimiter(limit.requests_per_second, limit.burst, limit.max_clients);
    this.headers = securityHeaders(config);
    this.healthyWithoutAuth = config.healthy_without_auth;
  }

  /** Adds the gate to the app; `countIngestResponse` counts the 401s and 429s it answers on ingest routes. */
  install(app: FastifyInstance, countIngestResponse: (code: number) => void = () => {}): void {
    if (this.tls) this.tls.attach(app.server as unknown as TlsServer);
    const active = Object.keys(this.headers).length > 0 || this.basic || this.bearer || this.limiter;
    if (!active) return;
    app.addHook('onRequest', async (request, reply) => {
      if (Object.keys(this.headers).length > 0) void reply.headers(this.headers);
      // The matched route, not the raw URL: no spelling of a path slips past its rule.
      const route = request.routeOptions.url;
      if (route === HEALTHY_ROUTE && this.healthyWithoutAuth) return;
      const ingest = route !== undefined && INGEST_ROUTES.has(route);
      if (ingest && this.limiter) {
        const decision = this.limiter.take(request.ip);
        if (!decision.allowed) {
          this.counters.rateLimited++;
          countIngestResponse(429);
          return refuse(reply, 429, { 'retry-after': String(decision.retryAfterSeconds) }, true, 'rate limit exceeded');
        }
      }
      const outcome = await this.authenticate(request, ingest);
      if (outcome === 'ok') return;
      this.counters.countAuthFailure(outcome);
      if (outcome === 'throttled') {
        if (ingest) countIngestResponse(429);
        return refuse(
          reply,
          429,
          { 'retry-after': '60', connection: 'close' },
          ingest,
          'too many authentication attempts',
        );
      }
      if (ingest) countIngestResponse(401);
      const challenge = ingest && this.bearer ? BEARER_CHALLENGE : BASIC_CHALLENGE;
      const message = outcome === 'invalid_credentials' ? 'invalid credentials' : 'authentication required';
      return refuse(reply, 401, { 'www-authenticate': challenge }, ingest, message);
    });
  }

  private authenticate(request: FastifyRequest, ingest: boolean): AuthOutcome | Promise<AuthOutcome> {
    const header = request.headers.authorization;
    if (ingest && this.bearer) return this.bearer.check(header);
    if (this.basic) return this.basic.check(header, request.ip);
    return 'ok';
  }
}

/** Answers without reading the body; the message never repeats what the client sent. */
function refuse(
  reply: FastifyReply,
  code: number,
  headers: Record<string, string>,
  json: boolean,
  message: string,
): FastifyReply {
  void reply.code(code).headers(headers);
  // An unauthenticated client's body is not read; its connection is not kept either.
  if (code === 401) void reply.header('connection', 'close');
  if (json) return reply.send({ accepted: 0, rejected: [], error: message });
  return reply.type('text/plain; charset=utf-8').send(`${message}\n`);
}

/** The web config of --web.config.file, or the defaults (no TLS, no auth) without one. */
export function loadWebSecurity(path: string | undefined, options: WebSecurityOptions = {}): WebSecurity {
  return new WebSecurity(path ? loadWebConfigFile(path) : webConfigSchema.parse({}), options);
}

/**
 * The start-up warning when anyone who reaches a non-loopback address may push records: no ingest
 * token and no basic auth. Undefined when ingest is protected or only loopback listens.
 */
export function openIngestWarning(host: string, web: WebSecurity): string | undefined {
  if (web.bearer || web.basic) return undefined;
  if (host === 'localhost' || host === '::1' || /^127\./.test(host)) return undefined;
  return (
    `ingest (POST /api/v1/records, /api/v1/labels) is open to anyone who can reach ${host || '0.0.0.0'}: ` +
    'set ingest_auth or basic_auth_users in --web.config.file (exporter/SECURITY.md)'
  );
}
