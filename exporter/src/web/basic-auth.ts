// HTTP basic auth against bcrypt hashes (basic_auth_users). A successful comparison is cached
// (bounded, keyed by an HMAC of user, password and hash under a per-process random key, so the
// cache holds no password nor a fast unsalted hash of one); an unknown user is compared against a
// fake hash of the highest configured cost, and a wrong password of a user with a cheaper hash is
// answered no sooner than a check at that cost takes (measured), so the answer's timing does not reveal
// which users exist nor their cost. bcrypt comparisons run in worker threads (bcrypt-pool.ts), are
// bounded and shared fairly between clients, clients without failures first, and clients with too
// many failures are refused without one (auth-guard.ts).
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import bcrypt from 'bcryptjs';
import { DEFAULT_AUTH_LIMITS, FAILING_RANK, FailureLimiter, FairQueue, type AuthLimits } from './auth-guard.ts';
import { bcryptPool, type BcryptPool } from './bcrypt-pool.ts';

/** `throttled`: too many failures or checks waiting for this client; answered 429 with no bcrypt. */
export type AuthOutcome = 'ok' | 'missing_credentials' | 'wrong_scheme' | 'invalid_credentials' | 'throttled';

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A well-formed bcrypt hash of no known password, at `cost`: comparing with it costs as much as a real one. */
export function fakeHash(cost: number): string {
  let hash = bcrypt.genSaltSync(cost);
  for (let i = 0; i < 31; i++) hash += BCRYPT_ALPHABET[randomInt(BCRYPT_ALPHABET.length)];
  return hash;
}

/** User and password from an Authorization header, or the reason there are none. */
export function parseBasic(header: string | undefined): { user: string; password: string } | AuthOutcome {
  if (!header) return 'missing_credentials';
  const match = /^Basic[ ]+([A-Za-z0-9+/=_-]*)\s*$/i.exec(header);
  if (!match) return /^Basic\b/i.test(header) ? 'invalid_credentials' : 'wrong_scheme';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'invalid_credentials';
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class BasicAuth {
  private readonly users: Map<string, string>;
  private readonly fake: string;
  /** The cost of the fake hash: the highest cost among the configured users. */
  readonly fakeCost: number;
  private readonly cacheKey = randomBytes(32);
  /** Keys of successful checks, oldest first (a Map keeps insertion order: LRU by re-insertion). */
  private readonly cache = new Map<string, true>();
  private fakeCostMs?: number;
  private readonly queue: FairQueue;
  private readonly failures: FailureLimiter;
  private readonly pool: BcryptPool;
  /** bcrypt comparisons run and answers served from the cache, since start. */
  readonly stats = { comparisons: 0, cacheHits: 0 };

  constructor(
    users: Record<string, string>,
    private readonly maxCached = 1000,
    limits: AuthLimits = DEFAULT_AUTH_LIMITS,
  ) {
    this.queue = new FairQueue(limits);
    this.failures = new FailureLimiter(limits);
    this.pool = bcryptPool(limits.max_concurrent_checks);
    this.users = new Map(Object.entries(users));
    const costs = [...this.users.values()].map((hash) => bcrypt.getRounds(hash));
    this.fakeCost = Math.max(4, ...costs);
    this.fake = fakeHash(this.fakeCost);
    // With mixed costs, one comparison at the highest cost, in the background, so that failures
    // of cheaper hashes are padded to a measured time from the start.
    if (costs.some((cost) => cost < this.fakeCost)) void this.timed('', this.fake);
  }

  get enabled(): boolean {
    return this.users.size > 0;
  }

  /** `client`: who asks (the connection's address), for the per-client limits. */
  async check(header: string | undefined, client = ''): Promise<AuthOutcome> {
    const parsed = parseBasic(header);
    if (typeof parsed === 'string') return parsed;
    const { user, password } = parsed;
    const known = this.users.get(user);
    const hash = known ?? this.fake;
    const key = createHmac('sha256', this.cacheKey)
      .update(user)
      .update('\0')
      .update(hash)
      .update('\0')
      .update(password);
    const digest = key.digest('base64');
    if (known !== undefined && this.cache.has(digest)) {
      this.cache.delete(digest);
      this.cache.set(digest, true);
      this.stats.cacheHits++;
      return 'ok';
    }
    if (this.failures.blocked(client)) return 'throttled';
    const started = performance.now();
    // Checks of clients without failures first, then of those that asked least this minute.
    const rank = (this.failures.failing(client) ? FAILING_RANK : 0) + this.failures.asked(client);
    const matches = await this.queue.run(client, () => this.compare(password, hash), rank);
    if (matches === 'busy') return 'throttled';
    if (!matches || known === undefined) {
      this.failures.failed(client);
      await this.padToFakeCost(hash, performance.now() - started);
      return 'invalid_credentials';
    }
    this.cache.set(digest, true);
    if (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    return 'ok';
  }

  private compare(password: string, hash: string): Promise<boolean> {
    this.stats.comparisons++;
    return this.timed(password, hash);
  }

  private async timed(password: string, hash: string): Promise<boolean> {
    const started = performance.now();
    const matches = await this.pool.compare(password, hash);
    if (hash === this.fake || bcrypt.getRounds(hash) === this.fakeCost)
      this.observeFakeCost(performance.now() - started);
    return matches;
  }

  /** A moving average of how long a comparison at the fake hash's cost takes on this machine now. */
  private observeFakeCost(ms: number): void {
    this.fakeCostMs = this.fakeCostMs === undefined ? ms : 0.7 * this.fakeCostMs + 0.3 * ms;
  }

  /**
   * A failed check of a cheaper hash waits until it has taken as long as a comparison at the fake
   * hash's cost (measured; before any, estimated as each cost step doubling the work), so the
   * failure's timing is that of an unknown user.
   */
  private async padToFakeCost(hash: string, tookMs: number): Promise<void> {
    const steps = this.fakeCost - bcrypt.getRounds(hash);
    if (steps <= 0) return;
    const target = this.fakeCostMs ?? tookMs * 2 ** steps;
    if (target > tookMs) await sleep(target - tookMs);
  }
}
