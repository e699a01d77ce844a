// TLS from --web.config.file, with certificates made by openssl for this run: the server's
// certificate, the minimum version, client-certificate policies, certificate rotation without a
// restart, and one end-to-end run of the real exporter process with TLS, basic auth and ingest
// tokens together.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import bcrypt from 'bcryptjs';
import { parseConfig } from '../src/config/load.ts';
import { buildApp } from '../src/server/app.ts';
import { startState } from '../src/startup.ts';
import { loadWebConfigFile } from '../src/web/config-load.ts';
import { WebSecurity } from '../src/web/security.ts';
import { FIXTURES } from './helpers/golden.ts';
import { spawnExporter, waitFor } from '../../testkit/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mlmon-web-tls-'));
const at = (name: string) => join(dir, name);
const file = (name: string) => readFileSync(at(name));

/** A key and a certificate signed by `ca` (or self-signed when ca is undefined), with openssl. */
function makeCert(name: string, subject: string, ca: string | undefined, extensions: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`];
  if (!ca) {
    openssl('req', '-x509', ...key, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${subject}`);
    return;
  }
  writeFileSync(at(`${name}.ext`), extensions);
  openssl('req', ...key, '-out', `${name}.csr`, '-subj', `/CN=${subject}`);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  );
}

const SERVER_EXT = 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n';
const CLIENT_EXT = 'subjectAltName=DNS:client.mlmon\nextendedKeyUsage=clientAuth\n';

before(() => {
  makeCert('ca', 'mlmon-test-ca', undefined, '');
  makeCert('other-ca', 'mlmon-untrusted-ca', undefined, '');
  makeCert('server-1', 'mlmon-server-1', 'ca', SERVER_EXT);
  makeCert('server-2', 'mlmon-server-2', 'ca', SERVER_EXT);
  makeCert('client', 'mlmon-client', 'ca', CLIENT_EXT);
  makeCert('stranger', 'mlmon-stranger', 'other-ca', CLIENT_EXT);
  for (const ext of ['crt', 'key']) copyFileSync(at(`server-1.${ext}`), at(`server.${ext}`));
});

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  peer: string;
}

/** One HTTPS request on a fresh connection (agent: false), trusting the test CA. */
function get(url: string, options: RequestOptions & { body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca: file('ca.crt'), agent: false, ...options }, (res) => {
      const peer = (res.socket as TLSSocket).getPeerCertificate() as PeerCertificate;
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, body, headers: res.headers, peer: String(peer.subject?.CN ?? '') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end(options.body);
  });
}
const clientCert = (name: string) => ({ cert: file(`${name}.crt`), key: file(`${name}.key`) });

const running: (() => Promise<void>)[] = [];
after(async () => {
  for (const stop of running) await stop();
});

async function startTls(name: string, webYaml: string, logs: string[] = []) {
  const config = parseConfig(`models:\n  - name: m\n    reference: { path: ${FIXTURES}reference.csv }\n`, 'test.yml');
  const { state } = await startState(config);
  writeFileSync(at(`${name}.yml`), webYaml);
  const web = new WebSecurity(loadWebConfigFile(at(`${name}.yml`)), {
    fileCheckIntervalMs: 0,
    log: (m) => logs.push(m),
  });
  const app = buildApp(state, config.ingest, undefined, web);
  await app.listen({ host: '127.0.0.1', port: 0 });
  running.push(() => app.close());
  return { url: `https://127.0.0.1:${(app.server.address() as { port: number }).port}`, web };
}

test('TLS serves the configured certificate, and refuses versions below min_version', async () => {
  const { url } = await startTls(
    'tls13',
    'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS13\n' +
      'http_server_config:\n  headers:\n    Strict-Transport-Security: max-age=63072000\n',
  );
  const answer = await get(`${url}/-/healthy`);
  assert.equal(answer.status, 200);
  assert.equal(answer.peer, 'mlmon-server-1');
  assert.equal(answer.headers['strict-transport-security'], 'max-age=63072000');
  await assert.rejects(get(`${url}/-/healthy`, { maxVersion: 'TLSv1.2' }), /protocol version|alert|wrong version/i);
  assert.equal((await get(`${url}/-/healthy`, { minVersion: 'TLSv1.3' })).status, 200);
  // Plain HTTP to the TLS port gets no answer from the exporter's routes.
  const plain = await fetch(`${url.replace('https', 'http')}/-/healthy`).then(
    (r) => r.status,
    () => 'refused',
  );
  assert.notEqual(plain, 200);
  await assert.rejects(
    get(`${url}/-/healthy`, { ca: file('other-ca.crt') }),
    /self[- ]signed|unable to verify|certificate/i,
  );
});

test('the default min_version TLS12 takes TLS 1.2 clients; cipher_suites limit TLS 1.2', async () => {
  const { url } = await startTls(
    'tls12',
    'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n' +
      '  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n  curve_preferences: [CurveP256]\n',
  );
  const answer = await new Promise<string>((resolve, reject) => {
    const req = httpsRequest(`${url}/-/healthy`, { ca: file('ca.crt'), agent: false, maxVersion: 'TLSv1.2' }, (res) => {
      resolve((res.socket as TLSSocket).getCipher().name);
      res.resume();
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(answer, 'ECDHE-ECDSA-AES256-GCM-SHA384');
  await assert.rejects(
    get(`${url}/-/healthy`, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }),
    /handshake|alert|cipher/i,
  );
});

test('RequireAndVerifyClientCert: only clients with a certificate of client_ca_file get in', async () => {
  const { url } = await startTls(
    'mtls',
    'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n' +
      '  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n',
  );
  assert.equal((await get(`${url}/-/healthy`, clientCert('client'))).status, 200);
  await assert.rejects(get(`${url}/-/healthy`), /certificate|alert|socket hang up|ECONNRESET/i);
  await assert.rejects(
    get(`${url}/-/healthy`, clientCert('stranger')),
    /certificate|alert|unknown ca|ECONNRESET|hang up/i,
  );
  const metrics = (await get(`${url}/metrics`, clientCert('client'))).body;
  const refused = Number(/^mlmon_http_auth_failures_total\{reason="client_certificate"\} (\d+)$/m.exec(metrics)?.[1]);
  assert.ok(refused >= 2, `client_certificate failures: ${refused}`);
});

test('VerifyClientCertIfGiven lets clients without a certificate in, not those with a bad one', async () => {
  const { url } = await startTls(
    'ifgiven',
    'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n' +
      '  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n',
  );
  assert.equal((await get(`${url}/-/healthy`)).status, 200);
  assert.equal((await get(`${url}/-/healthy`, clientCert('client'))).status, 200);
  await assert.rejects(get(`${url}/-/healthy`, clientCert('stranger')), /socket hang up|ECONNRESET|alert|certificate/i);
});

test('client_allowed_sans refuses a verified certificate whose SAN is not listed', async () => {
  const yaml = (san: string) =>
    'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n' +
    `  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n  client_allowed_sans: [${san}]\n`;
  const allowed = await startTls('sans-ok', yaml('client.mlmon'));
  assert.equal((await get(`${allowed.url}/-/healthy`, clientCert('client'))).status, 200);
  const other = await startTls('sans-other', yaml('someone-else.mlmon'));
  await assert.rejects(get(`${other.url}/-/healthy`, clientCert('client')), /socket hang up|ECONNRESET/i);
});

test('a rotated certificate is served to new connections without a restart; a broken one is not', async () => {
  for (const ext of ['crt', 'key']) copyFileSync(at(`server-1.${ext}`), at(`rot.${ext}`));
  const logs: string[] = [];
  const { url, web } = await startTls(
    'rotate',
    'tls_server_config:\n  cert_file: rot.crt\n  key_file: rot.key\n',
    logs,
  );
  assert.equal((await get(`${url}/-/healthy`)).peer, 'mlmon-server-1');
  for (const ext of ['crt', 'key']) copyFileSync(at(`server-2.${ext}`), at(`rot.${ext}`));
  assert.equal((await get(`${url}/-/healthy`)).peer, 'mlmon-server-2');
  assert.equal(web.tls!.reloads.success, 1);
  // A certificate without its key (a rotation half done) keeps the certificate in force.
  copyFileSync(at('server-1.crt'), at('rot.crt'));
  assert.equal((await get(`${url}/-/healthy`)).peer, 'mlmon-server-2');
  assert.match(logs.join('\n'), /TLS certificate reload failed, keeping the previous certificate/);
  assert.ok(!logs.join('\n').includes('PRIVATE KEY'));
  copyFileSync(at('server-1.key'), at('rot.key'));
  assert.equal((await get(`${url}/-/healthy`)).peer, 'mlmon-server-1');
});

test('end to end: the exporter process with TLS, basic auth and ingest tokens', async (t) => {
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const token = `tok-${randomBytes(16).toString('hex')}`;
  for (const ext of ['crt', 'key']) copyFileSync(at(`server-1.${ext}`), at(`e2e.${ext}`));
  writeFileSync(at('e2e-tokens.txt'), `${token}\n`);
  writeFileSync(
    at('e2e-web.yml'),
    `tls_server_config:\n  cert_file: e2e.crt\n  key_file: e2e.key\n` +
      `basic_auth_users:\n  prometheus: ${bcrypt.hashSync(password, 8)}\n` +
      `ingest_auth:\n  bearer_tokens_file: e2e-tokens.txt\n` +
      `http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n`,
  );
  writeFileSync(at('e2e.yml'), `models:\n  - name: m\n    reference: { path: ${FIXTURES}reference.csv }\n`);
  const exporter = await spawnExporter(
    ['--config.file=e2e.yml', '--web.config.file=e2e-web.yml', `--storage.path=${at('e2e-data')}`],
    { cwd: dir, https: true },
  );
  t.after(() => exporter.stop('SIGKILL'));
  const { port, url } = exporter;
  await waitFor('the metrics URL', async () => (exporter.output().includes('metrics at') ? true : undefined), 20_000);
  assert.match(exporter.output(), new RegExp(`metrics at https://127\\.0\\.0\\.1:${port}/metrics`));
  const auth = `Basic ${Buffer.from(`prometheus:${password}`).toString('base64')}`;

  assert.equal((await get(`${url}/-/healthy`)).status, 200);
  const refused = await get(`${url}/metrics`);
  assert.equal(refused.status, 401);
  assert.equal(refused.headers['x-content-type-options'], 'nosniff');
  const record = JSON.stringify({ model: 'm', features: { x: 0.5, color: 'red' } });
  const post = (authorization?: string) =>
    get(`${url}/api/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: record,
    });
  assert.equal((await post()).status, 401);
  assert.equal((await post(auth)).status, 401);
  assert.deepEqual(JSON.parse((await post(`Bearer ${token}`)).body), { accepted: 1, late: 0, rejected: [] });
  assert.equal((await get(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
  const metrics = await get(`${url}/metrics`, { headers: { authorization: auth } });
  assert.equal(metrics.status, 200);
  assert.match(metrics.body, /^mlmon_records_total\{model="m"\} 1$/m);
  assert.match(metrics.body, /^mlmon_http_auth_failures_total\{reason="missing_credentials"\} 2$/m);

  // Rotation in the running process: the files are checked at most once a second.
  for (const ext of ['crt', 'key']) copyFileSync(at(`server-2.${ext}`), at(`e2e.${ext}`));
  await waitFor('the rotated certificate', async () =>
    (await get(`${url}/-/healthy`)).peer === 'mlmon-server-2' ? true : undefined,
  );
  for (const secret of [password, token]) {
    assert.ok(!exporter.output().includes(secret) && !metrics.body.includes(secret), 'a secret leaked');
  }
});
