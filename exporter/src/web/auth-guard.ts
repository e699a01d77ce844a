// Basic auth under attack (basic_auth_limits): bcrypt checks are costly by design, so a flood of
// wrong passwords must neither queue without bound nor delay a legitimate scraper behind it.
// - Checks run at most `max_concurrent_checks` at a time, and wait in one queue per client served
//   in turn (round robin): a scraper waits for at most one check per other client, however many
//   connections a flooding client opens.
// - A client may have `max_pending_checks_per_client` checks waiting, all clients together
//   `max_pending_checks`; beyond, it is answered 429 at once, with no bcrypt.
// - A client with `failures_per_minute` wrong credentials in the current minute is answered 429
//   until the minute ends, again with no bcrypt. Credentials already verified (the cache) pass.
import { z } from 'zod';

export const authLimitsSchema = z.strictObject({
  max_concurrent_checks: z.number().int().min(1).max(64).default(1),
  max_pending_checks: z.number().int().min(1).max(100_000).default(64),
  max_pending_checks_per_client: z.number().int().min(1).max(1000).default(2),
  failures_per_minute: z.number().int().min(1).max(1_000_000).default(10),
  /** Clients whose failures are remembered; beyond, the least recently seen is forgotten. */
  max_clients: z.number().int().min(1).max(10_000_000).default(10_000),
});
export type AuthLimits = z.infer<typeof authLimitsSchema>;
export const DEFAULT_AUTH_LIMITS: AuthLimits = authLimitsSchema.parse({});

const MINUTE_MS = 60_000;

/** Checks waiting per client, served in turn; `run` answers 'busy' instead of queueing past the caps. */
export class FairQueue {
  /** Waiting checks by client; the Map's order is the turn order. */
  private readonly waiting = new Map<string, (() => void)[]>();
  private running = 0;
  private pending = 0;

  constructor(private readonly limits: AuthLimits) {}

  get queued(): number {
    return this.pending;
  }

  async run<T>(client: string, task: () => Promise<T>): Promise<T | 'busy'> {
    if (this.running < this.limits.max_concurrent_checks && this.pending === 0) this.running++;
    else {
      const mine = this.waiting.get(client) ?? [];
      if (this.pending >= this.limits.max_pending_checks) return 'busy';
      if (mine.length >= this.limits.max_pending_checks_per_client) return 'busy';
      // `next` counts this check as running when it lets it go.
      await new Promise<void>((resolve) => {
        mine.push(resolve);
        this.pending++;
        if (!this.waiting.has(client)) this.waiting.set(client, mine);
      });
    }
    try {
      return await task();
    } finally {
      this.running--;
      this.next();
    }
  }

  private next(): void {
    while (this.running < this.limits.max_concurrent_checks && this.pending > 0) {
      const [client, queue] = this.waiting.entries().next().value!;
      const resolve = queue.shift()!;
      this.waiting.delete(client);
      if (queue.length > 0) this.waiting.set(client, queue); // to the back of the turn
      this.pending--;
      this.running++;
      resolve();
    }
  }
}

/** Wrong credentials per client in the current minute (a bounded map, least recently seen forgotten). */
export class FailureLimiter {
  private readonly clients = new Map<string, { count: number; sinceMs: number }>();

  constructor(private readonly limits: AuthLimits) {}

  blocked(client: string, now = Date.now()): boolean {
    const entry = this.clients.get(client);
    return entry !== undefined && now - entry.sinceMs < MINUTE_MS && entry.count >= this.limits.failures_per_minute;
  }

  failed(client: string, now = Date.now()): void {
    let entry = this.clients.get(client);
    this.clients.delete(client);
    if (!entry || now - entry.sinceMs >= MINUTE_MS) entry = { count: 0, sinceMs: now };
    entry.count++;
    this.clients.set(client, entry);
    if (this.clients.size > this.limits.max_clients) this.clients.delete(this.clients.keys().next().value!);
  }
}
