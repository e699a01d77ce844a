// Connection limits of the HTTP server: timeouts on every connection (headers, whole request, idle
// keep-alive), a cap on open connections, and a share of them kept for /metrics, so that no flood
// of stalled, half-open, ingest or auth connections can keep Prometheus from scraping.
//
// At the cap, a new connection takes the place of the oldest one with no request in progress
// (a half-open connection that never sent its headers, or an idle keep-alive one); only when every
// connection is busy is the new one closed. While (cap − reserved) requests are in progress, any
// other request but /metrics is answered 503 at once, before its body is read.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Exposition } from '../metrics/exposition.ts';

export interface ConnectionLimits {
  /** Time to receive a request's headers (Node's headersTimeout). */
  readHeaderTimeoutMs: number;
  /** Time to receive a whole request, body included (Node's requestTimeout). */
  readTimeoutMs: number;
  /** Time a kept-alive connection may wait for its next request. */
  idleTimeoutMs: number;
  /** Open connections at most. */
  maxConnections: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  readHeaderTimeoutMs: 10_000,
  readTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  maxConnections: 512,
};

/** How often Node checks the header and request timeouts: a stalled request is cut within timeout + this. */
export const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/** Connections kept for /metrics: an eighth of the cap, at least 2. */
export function reservedForMetrics(maxConnections: number): number {
  return Math.min(maxConnections - 1, Math.max(2, Math.floor(maxConnections / 8)));
}

/** The options of http(s).createServer that carry the timeouts. */
export function serverTimeoutOptions(limits: ConnectionLimits) {
  return {
    // Node refuses a header timeout longer than the request timeout.
    headersTimeout: Math.min(limits.readHeaderTimeoutMs, limits.readTimeoutMs),
    requestTimeout: limits.readTimeoutMs,
    keepAliveTimeout: limits.idleTimeoutMs,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  };
}

export class ConnectionGuard {
  /** Open connections, oldest first, and whether a request is in progress on each. */
  private readonly open = new Map<string, { socket: Socket; busy: number }>();
  /** Connections closed to make room (`evicted`), refused because all were busy (`refused`), requests answered 503 (`shed`). */
  readonly stats = { evicted: 0, refused: 0, shed: 0 };
  readonly reserved: number;
  private requests = 0;

  constructor(readonly limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS) {
    this.reserved = reservedForMetrics(limits.maxConnections);
  }

  get size(): number {
    return this.open.size;
  }

  attach(server: Server): void {
    // Node's `server.timeout`: a connection with no traffic at all for this long is closed,
    // whatever state its request is in (a body that stopped arriving).
    server.setTimeout(this.limits.readTimeoutMs);
    server.on('connection', (socket: Socket) => this.admit(socket));
  }

  /** Requests in progress (headers received, not yet answered). */
  get inProgress(): number {
    return this.requests;
  }

  /**
   * Whether a request on `socket` may go on; false means answer 503: the requests in progress
   * already fill the connections not kept for /metrics.
   */
  requestStarted(socket: Socket, route: string | undefined): boolean {
    const full = this.requests >= this.limits.maxConnections - this.reserved;
    this.requests++;
    const entry = this.open.get(keyOf(socket));
    if (entry) entry.busy++;
    if (route === '/metrics' || !full) return true;
    this.stats.shed++;
    return false;
  }

  requestFinished(socket: Socket): void {
    this.requests--;
    const entry = this.open.get(keyOf(socket));
    if (entry && entry.busy > 0) entry.busy--;
  }

  /** Writes the connection families (a collector of the metrics registry; METRICS.md, "Health"). */
  readonly collect = (out: Exposition): void => {
    out.family('mlmon_http_connections_open').sample({}, this.open.size);
    out.family('mlmon_http_connections_max').sample({}, this.limits.maxConnections);
    out.family('mlmon_http_connections_evicted_total').sample({}, this.stats.evicted);
    out.family('mlmon_http_connections_refused_total').sample({}, this.stats.refused);
    out.family('mlmon_http_requests_shed_total').sample({}, this.stats.shed);
  };

  private admit(socket: Socket): void {
    if (this.open.size >= this.limits.maxConnections) {
      const idle = this.oldestIdle();
      if (!idle) {
        this.stats.refused++;
        socket.destroy();
        return;
      }
      this.stats.evicted++;
      this.forget(idle);
    }
    const key = keyOf(socket);
    this.open.set(key, { socket, busy: 0 });
    socket.once('close', () => {
      if (this.open.get(key)?.socket === socket) this.open.delete(key);
    });
  }

  private oldestIdle(): Socket | undefined {
    for (const { socket, busy } of this.open.values()) if (busy === 0) return socket;
    return undefined;
  }

  private forget(socket: Socket): void {
    this.open.delete(keyOf(socket));
    socket.destroy();
  }
}

/** A connection's peer address and port: the same for the TCP socket and the TLS socket over it. */
function keyOf(socket: Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}
