// HTTP basic auth against bcrypt hashes (basic_auth_users). A successful comparison is cached
// (bounded, keyed by an HMAC of user, password and hash under a per-process random key, so the
// cache holds no password nor a fast unsalted hash of one); an unknown user is compared against a
// fake hash of the same cost, so the answer's timing does not reveal which users exist. bcrypt
// comparisons run one at a time, as exporter-toolkit does, so a flood of wrong passwords costs
// one core at most.
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';

export type AuthOutcome = 'ok' | 'missing_credentials' | 'wrong_scheme' | 'invalid_credentials';

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
  private queue: Promise<unknown> = Promise.resolve();
  /** bcrypt comparisons run and answers served from the cache, since start. */
  readonly stats = { comparisons: 0, cacheHits: 0 };

  constructor(
    users: Record<string, string>,
    private readonly maxCached = 1000,
  ) {
    this.users = new Map(Object.entries(users));
    const costs = [...this.users.values()].map((hash) => bcrypt.getRounds(hash));
    this.fakeCost = Math.max(4, ...costs);
    this.fake = fakeHash(this.fakeCost);
  }

  get enabled(): boolean {
    return this.users.size > 0;
  }

  async check(header: string | undefined): Promise<AuthOutcome> {
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
    const matches = await this.compare(password, hash);
    if (!matches || known === undefined) return 'invalid_credentials';
    this.cache.set(digest, true);
    if (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    return 'ok';
  }

  /** One bcrypt comparison at a time. */
  private compare(password: string, hash: string): Promise<boolean> {
    const run = this.queue.then(() => {
      this.stats.comparisons++;
      return bcrypt.compare(password, hash);
    });
    this.queue = run.catch(() => false);
    return run.catch(() => false);
  }
}
