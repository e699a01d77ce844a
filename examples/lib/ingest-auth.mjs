// The bearer token the examples send on POST /api/v1/records and /api/v1/labels when the exporter
// runs with a web config whose ingest_auth asks for one (exporter/SECURITY.md):
//   MLMON_INGEST_TOKEN        the token itself (e.g. a Kubernetes secretKeyRef), or
//   MLMON_INGEST_TOKEN_FILE   a file holding it, in the exporter's token-file format (one token a
//                             line, blank lines and # comments skipped; the first token is used),
//                             so the exporter's bearer_tokens_file can be mounted as is.
// Neither set: no Authorization header (an exporter without ingest_auth). The file is re-read
// when it changes (checked at most every 5 s), as the exporter re-reads its own; a file that
// became unreadable or empty keeps the token in force. The token is never logged.
import { readFileSync, statSync } from 'node:fs';

const CHECK_MS = 5000;

/** The first token of a token file's text, or undefined. */
export function firstToken(text) {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Returns a function giving the headers to add to an ingest POST ({} without a token). Throws at
 * once (naming the variable or file, never the token) when a token is configured but unusable.
 */
export function ingestAuth(env = process.env) {
  const inline = env.MLMON_INGEST_TOKEN?.trim();
  const file = env.MLMON_INGEST_TOKEN_FILE?.trim();
  if (inline) {
    if (/\s/.test(inline)) throw new Error('MLMON_INGEST_TOKEN must be one token, without spaces');
    const headers = { authorization: `Bearer ${inline}` };
    return () => headers;
  }
  if (!file) return () => ({});

  const read = () => {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`MLMON_INGEST_TOKEN_FILE: cannot read ${file}: ${err.code ?? 'error'}`);
    }
    const token = firstToken(text);
    if (!token) throw new Error(`MLMON_INGEST_TOKEN_FILE: ${file} holds no token`);
    return token;
  };
  const stamp = () => {
    try {
      const s = statSync(file);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return 'unreadable';
    }
  };
  let token = read();
  let seen = stamp();
  let checked = Date.now();
  return () => {
    const now = Date.now();
    if (now - checked >= CHECK_MS) {
      checked = now;
      const current = stamp();
      if (current !== seen) {
        seen = current;
        try {
          token = read();
        } catch (err) {
          console.error(`${err.message}; keeping the previous token`);
        }
      }
    }
    return { authorization: `Bearer ${token}` };
  };
}
