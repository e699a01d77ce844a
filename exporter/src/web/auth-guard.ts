// Basic auth under attack (basic_auth_limits): bcrypt checks are costly by design, so a flood of
// wrong passwords must neither queue without bound nor delay a legitimate scraper behind it.
// - Checks run at most `max_concurrent_checks` at a time (in worker threads, bcrypt-pool.ts), and
//   wait in one queue per client served in turn (round robin): a scraper waits for at most one
//   check per other client, however many connections a flooding client opens.
// - Clients with no wrong credentials this minute go before clients with some: a scraper whose
//   credentials are not cached yet (after a restart) waits only for the checks already running,
//   not for the guesses of failing clients, however many addresses they come from. The order
//   depends on the client's failures, never on the user named, so it tells nothing about users.
// - A client may have `max_pending_checks_per_client` checks waiting, all clients together
//   `max_pending_checks`; beyond, it is answered 429 at once, with no bcrypt. When all are taken,
//   a check of a client without failures takes the place of a failing client's newest one (429).
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

/** Lets a waiting check go (true) or turns it away to make room (false). */
type Turn = (go: boolean) => void;

/**
 * Checks waiting per client, served in turn, clients without failures first; `run` answers 'busy'
 * instead of queueing past the caps.
 */
export class FairQueue {
  /** Waiting checks by client, of clients without failures and of failing ones; each Map's order is the turn order. */
  private readonly waiting = { clean: new Map<string, Turn[]>(), failing: new Map<string, Turn[]>() };
  private running = 0;
  private pending = 0;

  constructor(private readonly limits: AuthLimits) {}

  get queued(): number {
    return this.pending;
  }

  /**
   * `failing`: the client has had wrong credentials lately; its checks wait behind everyone else's,
   * and when all `max_pending_checks` are taken, a check of a client without failures takes the
   * place of the newest check of a failing one (turned away 'busy').
   */
  async run<T>(client: string, task: () => Promise<T>, failing = false): Promise<T | 'busy'> {
    if (this.running < this.limits.max_concurrent_checks && this.pending === 0) this.running++;
    else {
      const queues = failing ? this.waiting.failing : this.waiting.clean;
      const mine = queues.get(client) ?? [];
      const waitingElsewhere = (failing ? this.waiting.clean : this.waiting.failing).get(client)?.length ?? 0;
      if (mine.length + waitingElsewhere >= this.limits.max_pending_checks_per_client) return 'busy';
      if (this.pending >= this.limits.max_pending_checks && (failing || !this.turnAwayNewestFailing())) return 'busy';
      // `next` counts this check as running when it lets it go.
      const go = await new Promise<boolean>((turn) => {
        mine.push(turn);
        this.pending++;
        if (!queues.has(client)) queues.set(client, mine);
      });
      if (!go) return 'busy';
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
      const queues = this.waiting.clean.size > 0 ? this.waiting.clean : this.waiting.failing;
      const [client, queue] = queues.entries().next().value!;
      const turn = queue.shift()!;
      queues.delete(client);
      if (queue.length > 0) queues.set(client, queue); // to the back of the turn
      this.pending--;
      this.running++;
      turn(true);
    }
  }

  /** Turns away the newest waiting check of the failing client last in turn; false when none waits. */
  private turnAwayNewestFailing(): boolean {
    const last = [...this.waiting.failing.keys()].at(-1);
    if (last === undefined) return false;
    const queue = this.waiting.failing.get(last)!;
    const turn = queue.pop()!;
    if (queue.length === 0) this.waiting.failing.delete(last);
    this.pending--;
    turn(false);
    return true;
  }
}

/** Wrong credentials per client in the current minute (a bounded map, least recently seen forgotten). */
export class FailureLimiter {
  private readonly clients = new Map<string, { count: number; sinceMs: number }>();

  constructor(private readonly limits: AuthLimits) {}

  /** Whether `client` had wrong credentials in the current minute. */
  failing(client: string, now = Date.now()): boolean {
    const entry = this.clients.get(client);
    return entry !== undefined && now - entry.sinceMs < MINUTE_MS;
  }

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
