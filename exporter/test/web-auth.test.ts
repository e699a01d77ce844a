// Authentication, headers and ingest rate limits of --web.config.file, through the real HTTP
// server: basic auth for /metrics and the rest, bearer tokens for ingest (neither grants the
// other), /-/healthy open for probes, 401/429 answers, counters, and no secret in any answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { parseConfig } from '../src/config/load.ts';
import { buildApp } from '../src/server/app.ts';
import { startState } from '../src/startup.ts';
import type { Exporter } from '../src/exporter.ts';
import { BasicAuth, parseBasic } from '../src/web/basic-auth.ts';
import { parseBearer } from '../src/web/bearer-auth.ts';
import { loadWebConfigFile } from '../src/web/config-load.ts';
import { ClientRateLimiter } from '../src/web/rate-limit.ts';
import { WebSecurity } from '../src/web/security.ts';
import { FIXTURES } from './helpers/golden.ts';

const dir = mkdtempSync(join(tmpdir(), 'mlmon-web-auth-'));
const PASSWORD = `pw-${randomBytes(9).toString('hex')}`;
const HASH = bcrypt.hashSync(PASSWORD, 6);
const TOKEN = `tok-${randomBytes(12).toString('hex')}`;
const TOKEN2 = `tok-${randomBytes(12).toString('hex')}`;
const SECRETS = [PASSWORD, HASH, TOKEN, TOKEN2];
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const RIGHT = basic('prometheus', PASSWORD);
const RECORD = JSON.stringify({ model: 'm', features: { x: 1.5, color: 'red' } });

interface Running {
  url: string;
  state: Exporter;
  web: WebSecurity;
  logs: string[];
  stop(): Promise<void>;
}

async function start(name: string, webYaml: string): Promise<Running> {
  const config = parseConfig(`models:\n  - name: m\n    reference: { path: ${FIXTURES}reference.csv }\n`, 'test.yml');
  const { state } = await startState(config);
  writeFileSync(join(dir, `${name}.yml`), webYaml);
  const logs: string[] = [];
  const web = new WebSecurity(loadWebConfigFile(join(dir, `${name}.yml`)), {
    fileCheckIntervalMs: 0,
    log: (m) => logs.push(m),
  });
  const app = buildApp(state, config.ingest, async () => ({ ok: true }), web);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, state, web, logs, stop: () => app.close() };
}

/** Every body the tests saw, to look for secrets in at the end. */
const seen: string[] = [];
async function call(url: string, init: RequestInit & { auth?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.auth) headers.set('authorization', init.auth);
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  seen.push(text, JSON.stringify([...response.headers]));
  return { status: response.status, headers: response.headers, text };
}
const ingest = (url: string, auth?: string, path = '/api/v1/records', body = RECORD) =>
  call(`${url}${path}`, { method: 'POST', auth, headers: { 'content-type': 'application/json' }, body });

let server: Running;
before(async () => {
  writeFileSync(join(dir, 'tokens.txt'), `# ingest tokens, one a line\n\n${TOKEN}\n  ${TOKEN2}  \n`);
  server = await start(
    'web',
    `
basic_auth_users:
  prometheus: ${HASH}
ingest_auth:
  bearer_tokens_file: tokens.txt
http_server_config:
  headers:
    X-Frame-Options: deny
    X-Content-Type-Options: nosniff
    Content-Security-Policy: "default-src 'none'"
    Strict-Transport-Security: max-age=31536000
    X-XSS-Protection: ""
`,
  );
});
after(() => server?.stop());

test('/-/healthy answers without credentials; everything else asks for basic auth', async () => {
  assert.equal((await call(`${server.url}/-/healthy`)).status, 200);
  for (const [path, method] of [
    ['/metrics', 'GET'],
    ['/', 'GET'],
    ['/-/ready', 'GET'],
    ['/-/reload', 'POST'],
    ['/nowhere', 'GET'],
    ['/metrics', 'HEAD'],
  ]) {
    const answer = await call(`${server.url}${path}`, { method });
    assert.equal(answer.status, 401, `${method} ${path}`);
    assert.equal(answer.headers.get('www-authenticate'), 'Basic realm="mlmon", charset="UTF-8"');
    const authed = await call(`${server.url}${path}`, { method, auth: RIGHT });
    assert.equal(authed.status, path === '/nowhere' ? 404 : 200, `${method} ${path} with credentials`);
  }
});

test('basic auth: right password 200, wrong password or unknown user 401', async () => {
  assert.equal((await call(`${server.url}/metrics`, { auth: RIGHT })).status, 200);
  assert.equal((await call(`${server.url}/metrics`, { auth: basic('prometheus', 'wrong') })).status, 401);
  assert.equal((await call(`${server.url}/metrics`, { auth: basic('mallory', PASSWORD) })).status, 401);
  assert.equal((await call(`${server.url}/metrics`, { auth: basic('prometheus', `${PASSWORD}x`) })).status, 401);
  assert.equal((await call(`${server.url}/metrics`, { auth: 'Basic !!!' })).status, 401);
  assert.equal((await call(`${server.url}/metrics`, { auth: `Bearer ${TOKEN}` })).status, 401, 'tokens do not read');
});

test('ingest takes bearer tokens only: 401 with WWW-Authenticate Bearer without one', async () => {
  const none = await ingest(server.url);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="mlmon"');
  assert.deepEqual(JSON.parse(none.text), { accepted: 0, rejected: [], error: 'authentication required' });
  const wrong = await ingest(server.url, `Bearer ${TOKEN}x`);
  assert.equal(wrong.status, 401);
  assert.deepEqual(JSON.parse(wrong.text), { accepted: 0, rejected: [], error: 'invalid credentials' });
  assert.equal((await ingest(server.url, RIGHT)).status, 401, 'the metrics credentials do not ingest');
  for (const path of ['/api/v1/%72ecords', '/api/v1/records?x=1', '/api//v1/records', '/API/v1/records']) {
    const spelled = await ingest(server.url, RIGHT, path);
    assert.ok([401, 404].includes(spelled.status), `${path}: ${spelled.status}`);
  }
  assert.equal((await ingest(server.url, `Bearer ${TOKEN.slice(0, -1)}`)).status, 401);
  const before = server.state.models.get('m')!.windows.recordsTotal;
  assert.equal((await ingest(server.url, `Bearer ${TOKEN}`)).status, 200);
  assert.equal((await ingest(server.url, `bearer ${TOKEN2}`)).status, 200, 'second token, scheme in any case');
  const label = JSON.stringify({ model: 'm', id: 'a', label: 'red' });
  assert.equal((await ingest(server.url, undefined, '/api/v1/labels', label)).status, 401);
  assert.equal((await ingest(server.url, `Bearer ${TOKEN}`, '/api/v1/labels', label)).status, 200);
  assert.equal(server.state.models.get('m')!.windows.recordsTotal, before + 2);
  assert.ok(server.state.ingestResponses.get('401')! >= 4, 'refused ingest requests are counted by code');
});

test('a changed token file is picked up without a restart; an emptied one keeps the tokens', async () => {
  const fresh = `tok-${randomBytes(12).toString('hex')}`;
  SECRETS.push(fresh);
  writeFileSync(join(dir, 'tokens.txt'), `${fresh}\n`);
  assert.equal((await ingest(server.url, `Bearer ${fresh}`)).status, 200);
  assert.equal((await ingest(server.url, `Bearer ${TOKEN}`)).status, 401);
  writeFileSync(join(dir, 'tokens.txt'), '# nothing\n');
  assert.equal((await ingest(server.url, `Bearer ${fresh}`)).status, 200);
  assert.match(server.logs.join('\n'), /tokens\.txt holds no token; keeping the previous tokens/);
  writeFileSync(join(dir, 'tokens.txt'), `${TOKEN}\n${TOKEN2}\n`);
  assert.equal((await ingest(server.url, `Bearer ${TOKEN}`)).status, 200);
});

test('security headers are on every answer: 200, 401, 404, 400, 415', async () => {
  const answers = [
    await call(`${server.url}/-/healthy`),
    await call(`${server.url}/metrics`),
    await call(`${server.url}/metrics`, { auth: RIGHT }),
    await call(`${server.url}/nowhere`, { auth: RIGHT }),
    await ingest(server.url),
    await ingest(server.url, `Bearer ${TOKEN}`, '/api/v1/records', '{"model": '),
    await call(`${server.url}/api/v1/records`, {
      method: 'POST',
      auth: `Bearer ${TOKEN}`,
      headers: { 'content-type': 'text/csv' },
      body: 'x\n1\n',
    }),
  ];
  assert.deepEqual(
    answers.map((a) => a.status),
    [200, 401, 200, 404, 401, 400, 415],
  );
  for (const answer of answers) {
    assert.equal(answer.headers.get('x-frame-options'), 'deny');
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(answer.headers.get('content-security-policy'), "default-src 'none'");
    assert.equal(answer.headers.get('strict-transport-security'), 'max-age=31536000');
    assert.equal(answer.headers.get('x-xss-protection'), null, 'a blank header is left unset');
  }
});

test('auth failures are counted by reason in /metrics', async () => {
  const metrics = (await call(`${server.url}/metrics`, { auth: RIGHT })).text;
  const count = (reason: string) =>
    Number(new RegExp(`^mlmon_http_auth_failures_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
  assert.ok(count('missing_credentials') >= 8);
  assert.ok(count('invalid_credentials') >= 5);
  assert.ok(count('wrong_scheme') >= 2);
  assert.equal(count('client_certificate'), 0);
  assert.match(metrics, /^mlmon_ingest_rate_limited_total 0$/m);
});

test('healthy_without_auth: false puts /-/healthy behind basic auth too', async () => {
  const closed = await start('closed', `healthy_without_auth: false\nbasic_auth_users:\n  prometheus: ${HASH}\n`);
  try {
    assert.equal((await call(`${closed.url}/-/healthy`)).status, 401);
    assert.equal((await call(`${closed.url}/-/healthy`, { auth: RIGHT })).status, 200);
    // Without ingest_auth, the basic-auth users may ingest.
    assert.equal((await ingest(closed.url)).status, 401);
    assert.equal((await ingest(closed.url, RIGHT)).status, 200);
  } finally {
    await closed.stop();
  }
});

test('ingest rate limit per client: 429 with Retry-After, the ingest body shape, and a counter', async () => {
  process.env.MLMON_TEST_INGEST_TOKENS = `${TOKEN}, ${TOKEN2}`;
  const limited = await start(
    'limited',
    `ingest_auth: { bearer_tokens_env: MLMON_TEST_INGEST_TOKENS }\ningest_rate_limit: { requests_per_second: 0.2, burst: 3 }\n`,
  );
  try {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await ingest(limited.url, `Bearer ${TOKEN}`)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    const refused = await ingest(limited.url, `Bearer ${TOKEN2}`);
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 5, `Retry-After ${retryAfter}`);
    const body = JSON.parse(refused.text);
    assert.deepEqual(body, { accepted: 0, rejected: [], error: 'rate limit exceeded' });
    // Scrapes and probes are never limited.
    for (let i = 0; i < 5; i++) assert.equal((await call(`${limited.url}/-/healthy`)).status, 200);
    const metrics = (await call(`${limited.url}/metrics`)).text;
    assert.match(metrics, /^mlmon_ingest_rate_limited_total 3$/m);
    assert.match(metrics, /^mlmon_ingest_requests_total\{code="429"\} 3$/m);
  } finally {
    await limited.stop();
    delete process.env.MLMON_TEST_INGEST_TOKENS;
  }
});

test('no secret appears in any answer, header, log line or /metrics', async () => {
  seen.push((await call(`${server.url}/metrics`, { auth: RIGHT })).text, ...server.logs);
  const all = seen.join('\n');
  assert.ok(seen.length > 50);
  for (const secret of SECRETS) assert.ok(!all.includes(secret), 'a secret leaked');
});

test('basic auth caches successful comparisons (bounded) and honors each hash cost', async () => {
  const fast = bcrypt.hashSync('a-password', 4);
  const slow = bcrypt.hashSync('b-password', 10);
  const auth = new BasicAuth({ fast, slow, other: bcrypt.hashSync('c-password', 4) }, 2);
  assert.equal(auth.fakeCost, 10, 'unknown users are compared at the highest configured cost');
  const timed = async (header: string) => {
    const started = performance.now();
    const outcome = await auth.check(header);
    return { outcome, ms: performance.now() - started };
  };
  assert.equal((await timed(basic('fast', 'a-password'))).outcome, 'ok');
  assert.equal(auth.stats.comparisons, 1);
  for (let i = 0; i < 5; i++) assert.equal((await timed(basic('fast', 'a-password'))).outcome, 'ok');
  assert.equal(auth.stats.comparisons, 1, 'the right password is compared once, then cached');
  assert.equal(auth.stats.cacheHits, 5);
  // Wrong passwords and unknown users are never cached.
  for (let i = 0; i < 2; i++) assert.equal((await timed(basic('fast', 'nope'))).outcome, 'invalid_credentials');
  for (let i = 0; i < 2; i++) assert.equal((await timed(basic('ghost', 'a-password'))).outcome, 'invalid_credentials');
  assert.equal(auth.stats.comparisons, 5);
  // Cost: an uncached cost-10 check is far slower than a cost-4 one; an unknown user costs as much as a known one.
  // Interleaved, so that load on the machine weighs on each kind alike.
  const ms: Record<string, number[]> = { cost4: [], cost10: [], unknown: [] };
  for (let i = 0; i < 5; i++) {
    ms.cost4.push((await timed(basic('fast', 'wrong'))).ms);
    ms.cost10.push((await timed(basic('slow', 'wrong'))).ms);
    ms.unknown.push((await timed(basic('ghost', 'wrong'))).ms);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [cost4, cost10, unknown] = [median(ms.cost4), median(ms.cost10), median(ms.unknown)];
  assert.ok(cost10 > 4 * cost4, `cost 10 ${cost10.toFixed(1)} ms vs cost 4 ${cost4.toFixed(1)} ms`);
  assert.ok(unknown > 0.4 * cost10, `unknown user ${unknown.toFixed(1)} ms vs known user ${cost10.toFixed(1)} ms`);
  // Bounded: a third cached user evicts the least recently used one.
  assert.equal(await auth.check(basic('other', 'c-password')), 'ok');
  assert.equal(await auth.check(basic('slow', 'b-password')), 'ok');
  const before = auth.stats.comparisons;
  assert.equal(await auth.check(basic('fast', 'a-password')), 'ok');
  assert.equal(auth.stats.comparisons, before + 1, 'evicted from the cache of 2');
});

test('credential parsing refuses malformed headers', () => {
  assert.deepEqual(parseBasic(basic('u', 'p:with:colons')), { user: 'u', password: 'p:with:colons' });
  assert.equal(parseBasic(undefined), 'missing_credentials');
  assert.equal(parseBasic('Digest x'), 'wrong_scheme');
  assert.equal(parseBasic(`Basic ${Buffer.from('nocolon').toString('base64')}`), 'invalid_credentials');
  assert.deepEqual(parseBearer('Bearer abc'), { token: 'abc' });
  assert.equal(parseBearer('Bearer a b'), 'invalid_credentials');
  assert.equal(parseBearer('Basic abc'), 'wrong_scheme');
});

test('the per-client limiter refills over time and forgets the least recent client beyond its bound', () => {
  const limiter = new ClientRateLimiter(2, 2, 3);
  const t0 = 1_000_000;
  assert.ok(limiter.take('a', t0).allowed);
  assert.ok(limiter.take('a', t0).allowed);
  assert.deepEqual(limiter.take('a', t0), { allowed: false, retryAfterSeconds: 1 });
  assert.ok(limiter.take('b', t0).allowed, 'clients have their own buckets');
  assert.ok(limiter.take('a', t0 + 500).allowed, 'one token back after 0.5 s at 2/s');
  for (const client of ['c', 'd', 'e']) limiter.take(client, t0);
  assert.equal(limiter.clients, 3);
  assert.ok(limiter.take('a', t0 + 500).allowed, 'a was forgotten: a full bucket again');
});
