// A token bucket per client IP address for the ingest endpoints (ingest_rate_limit). The map is
// bounded: beyond max_clients the least recently seen client is forgotten (it starts again with
// a full bucket, which only ever errs on the side of letting a request through).

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one token is back (for Retry-After), when refused. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

function takeFrom(bucket: Bucket, rate: number, burst: number, now: number): RateDecision {
  const elapsed = Math.max(0, now - bucket.updatedMs) / 1000;
  bucket.tokens = Math.min(burst, bucket.tokens + elapsed * rate);
  bucket.updatedMs = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return { allowed: true, retryAfterSeconds: 0 };
  }
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) };
}

export class ClientRateLimiter {
  /** Buckets by client, least recently seen first (a Map keeps insertion order). */
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxClients = 10_000,
  ) {}

  get clients(): number {
    return this.buckets.size;
  }

  take(client: string, now = Date.now()): RateDecision {
    let bucket = this.buckets.get(client);
    if (bucket) this.buckets.delete(client);
    else bucket = { tokens: this.burst, updatedMs: now };
    this.buckets.set(client, bucket);
    if (this.buckets.size > this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
    return takeFrom(bucket, this.ratePerSecond, this.burst, now);
  }
}
