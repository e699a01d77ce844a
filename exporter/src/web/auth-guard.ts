// Basic auth under attack (basic_auth_limits): bcrypt checks are costly by design, so a flood of
// wrong passwords must neither queue without bound nor delay a legitimate scraper behind it.
// - Checks run at most `max_concurrent_checks` at a time (in worker threads, bcrypt-pool.ts), and
//   wait in one queue per client served in turn (round robin): a scraper waits for at most one
//   check per other client, however many connections a flooding client opens.
// - Clients with no wrong credentials this minute go before clients with some, and among either,
//   clients that asked for fewer checks this minute go first: a scraper whose credentials are not
//   cached yet (after a restart) asks once, so it waits only for the checks already running, not
//   for the guesses of failing clients, nor for those of addresses that keep asking, however many
//   addresses they come from. The order depends on the client, never on the user named, so it
//   tells nothing about users.
// - A client may have `max_pending_checks_per_client` checks waiting, all clients together
//   `max_pending_checks`; beyond, it is answered 429 at once, with no bcrypt. When all are taken,
//   a check takes the place of the newest one of a client ranked behind it (answered 429).
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

/** A client's waiting checks and its rank (lower goes first), as of its latest check. */
interface Waiting {
  rank: number;
  turns: Turn[];
}

/** Added to the rank of a client with wrong credentials this minute: behind every client without. */
export const FAILING_RANK = 1_000_000_000;

/**
 * Checks waiting per client: the client of lowest rank goes first, clients of equal rank in turn;
 * `run` answers 'busy' instead of queueing past the caps.
 */
export class FairQueue {
  /** Waiting checks by client; the Map's order is the turn order. */
  private readonly waiting = new Map<string, Waiting>();
  private running = 0;
  private pending = 0;

  constructor(private readonly limits: AuthLimits) {}

  get queued(): number {
    return this.pending;
  }

  /**
   * `rank`: how little the client is to be trusted (auth-guard's header: failures, then checks
   * asked this minute); when all `max_pending_checks` are taken, a check takes the place of the
   * newest check of a client of higher rank (turned away 'busy').
   */
  async run<T>(client: string, task: () => Promise<T>, rank = 0): Promise<T | 'busy'> {
    const waiting = this.waiting.get(client);
    if (waiting) waiting.rank = Math.max(waiting.rank, rank); // asking again, even if turned away, ranks it behind
    if (this.running < this.limits.max_concurrent_checks && this.pending === 0) this.running++;
    else {
      const mine = waiting ?? { rank, turns: [] };
      if (mine.turns.length >= this.limits.max_pending_checks_per_client) return 'busy';
      if (this.pending >= this.limits.max_pending_checks && !this.turnAwayBelow(rank)) return 'busy';
      mine.rank = rank;
      // `next` counts this check as running when it lets it go.
      const go = await new Promise<boolean>((turn) => {
        mine.turns.push(turn);
        this.pending++;
        if (!this.waiting.has(client)) this.waiting.set(client, mine);
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
      let first: [string, Waiting] | undefined;
      for (const entry of this.waiting) if (!first || entry[1].rank < first[1].rank) first = entry;
      const [client, queue] = first!;
      const turn = queue.turns.shift()!;
      this.waiting.delete(client);
      if (queue.turns.length > 0) this.waiting.set(client, queue); // to the back of the turn
      this.pending--;
      this.running++;
      turn(true);
    }
  }

  /** Turns away the newest check of the least trusted client, if its rank is above `rank`. */
  private turnAwayBelow(rank: number): boolean {
    let last: [string, Waiting] | undefined;
    for (const entry of this.waiting) if (!last || entry[1].rank >= last[1].rank) last = entry;
    if (!last || last[1].rank <= rank) return false;
    const [client, queue] = last;
    const turn = queue.turns.pop()!;
    if (queue.turns.length === 0) this.waiting.delete(client);
    this.pending--;
    turn(false);
    return true;
  }
}

/**
 * Per client, in the current minute (from its first check): wrong credentials and checks asked (a
 * bounded map, least recently seen forgotten).
 */
export class FailureLimiter {
  private readonly clients = new Map<string, { failures: number; asked: number; sinceMs: number }>();

  constructor(private readonly limits: AuthLimits) {}

  /** Whether `client` had wrong credentials in the current minute. */
  failing(client: string, now = Date.now()): boolean {
    return (this.current(client, now)?.failures ?? 0) > 0;
  }

  blocked(client: string, now = Date.now()): boolean {
    return (this.current(client, now)?.failures ?? 0) >= this.limits.failures_per_minute;
  }

  /** Counts a check `client` asks for; returns its checks this minute, this one included. */
  asked(client: string, now = Date.now()): number {
    return ++this.touch(client, now).asked;
  }

  failed(client: string, now = Date.now()): void {
    this.touch(client, now).failures++;
  }

  private current(client: string, now: number) {
    const entry = this.clients.get(client);
    return entry && now - entry.sinceMs < MINUTE_MS ? entry : undefined;
  }

  /** The client's entry of the current minute, made the most recently seen. */
  private touch(client: string, now: number) {
    const entry = this.current(client, now) ?? { failures: 0, asked: 0, sinceMs: now };
    this.clients.delete(client);
    this.clients.set(client, entry);
    if (this.clients.size > this.limits.max_clients) this.clients.delete(this.clients.keys().next().value!);
    return entry;
  }
}
