// Bearer tokens for the ingest endpoints (ingest_auth), from a file (one token per line; blank
// lines and lines starting with # are skipped; re-read when the file changes) or from an
// environment variable (tokens separated by commas, spaces or newlines). A presented token is
// compared with every configured one in constant time: SHA-256 digests of equal length through
// crypto.timingSafeEqual, with no early exit.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuthOutcome } from './basic-auth.ts';
import { FileStamps } from './file-stamp.ts';

export class BearerTokensError extends Error {}

const digest = (token: string) => createHash('sha256').update(token).digest();

export function parseTokenFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export function parseBearer(header: string | undefined): { token: string } | Exclude<AuthOutcome, 'ok'> {
  if (!header) return 'missing_credentials';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match) return /^Bearer\b/i.test(header) ? 'invalid_credentials' : 'wrong_scheme';
  return { token: match[1] };
}

export class BearerAuth {
  private digests: Buffer[] = [];
  private readonly stamps?: FileStamps;

  constructor(
    private readonly source: { file?: string; env?: string },
    private readonly log: (message: string) => void = (m) => console.error(`mlmon-exporter: ${m}`),
    checkIntervalMs = 1000,
  ) {
    this.digests = this.read().map(digest);
    if (source.file) this.stamps = new FileStamps([source.file], checkIntervalMs);
  }

  /** The tokens; throws BearerTokensError (naming the file or variable, never a token) when there are none. */
  private read(): string[] {
    let tokens: string[];
    if (this.source.file) {
      let text: string;
      try {
        text = readFileSync(this.source.file, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        throw new BearerTokensError(`ingest_auth.bearer_tokens_file: cannot read ${this.source.file}: ${code}`);
      }
      tokens = parseTokenFile(text);
      if (tokens.length === 0) {
        throw new BearerTokensError(`ingest_auth.bearer_tokens_file: ${this.source.file} holds no token`);
      }
    } else {
      const name = this.source.env!;
      tokens = (process.env[name] ?? '').split(/[\s,]+/).filter(Boolean);
      if (tokens.length === 0) {
        throw new BearerTokensError(`ingest_auth.bearer_tokens_env: the environment variable ${name} holds no token`);
      }
    }
    return tokens;
  }

  /** Re-reads the token file when it changed; a file that became unreadable or empty keeps the tokens in force. */
  private reloadIfChanged(now: number): void {
    if (!this.stamps?.changed(now)) return;
    try {
      this.digests = this.read().map(digest);
    } catch (err) {
      this.log(`${(err as Error).message}; keeping the previous tokens`);
    }
  }

  check(header: string | undefined, now = Date.now()): AuthOutcome {
    this.reloadIfChanged(now);
    const parsed = parseBearer(header);
    if (typeof parsed === 'string') return parsed;
    const presented = digest(parsed.token);
    let found = false;
    for (const known of this.digests) found = timingSafeEqual(presented, known) || found;
    return found ? 'ok' : 'invalid_credentials';
  }
}
