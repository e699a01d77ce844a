// --web.config.file: the exporter-toolkit format and mlmon's additions, validated strictly; an
// invalid file stops the start with an error naming the key and the line, never a secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { loadWebConfigFile, parseWebConfig, WebConfigError } from '../src/web/config-load.ts';
import { parseExporterFlags } from '../src/flags.ts';

const EXPORTER = fileURLToPath(new URL('../scripts/dev-mlmon-exporter.mjs', import.meta.url));
const HASH = bcrypt.hashSync('s3cret-password', 4);

const errorOf = (text: string): string => {
  try {
    parseWebConfig(text, 'web.yml');
  } catch (err) {
    assert.ok(err instanceof WebConfigError, String(err));
    return err.message;
  }
  assert.fail('expected an error');
};

test('an exporter-toolkit web-config.yml with mlmon additions parses, with defaults', () => {
  const config = parseWebConfig(`
tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  min_version: TLS13
  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
  curve_preferences: [X25519, CurveP256]
http_server_config:
  headers:
    X-Frame-Options: deny
    X-Content-Type-Options: nosniff
    Content-Security-Policy: "default-src 'self'"
basic_auth_users:
  prometheus: ${HASH}
ingest_auth:
  bearer_tokens_file: tokens.txt
ingest_rate_limit: { requests_per_second: 50, burst: 100 }
`);
  assert.equal(config.tls_server_config?.min_version, 'TLS13');
  assert.equal(config.tls_server_config?.max_version, 'TLS13');
  assert.equal(config.tls_server_config?.prefer_server_cipher_suites, true);
  assert.equal(config.healthy_without_auth, true);
  assert.equal(config.ingest_rate_limit?.max_clients, 10_000);
  assert.deepEqual(Object.keys(config.basic_auth_users!), ['prometheus']);
  assert.deepEqual(parseWebConfig(''), parseWebConfig('{}'));
});

test('relative file paths are resolved against the web config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-webcfg-'));
  writeFileSync(join(dir, 'web.yml'), 'tls_server_config: { cert_file: a.crt, key_file: /abs/a.key }\n');
  const config = loadWebConfigFile(join(dir, 'web.yml'));
  assert.equal(config.tls_server_config?.cert_file, join(dir, 'a.crt'));
  assert.equal(config.tls_server_config?.key_file, '/abs/a.key');
});

test('errors name the file, the line and the key', () => {
  assert.match(
    errorOf('basic_auth_users:\n  alice: x\nhttp_server_config:\n  http3: true\n'),
    /web\.yml:2: basic_auth_users\.alice: must be a bcrypt hash/,
  );
  assert.match(
    errorOf('basic_auth_users:\n  alice: x\nhttp_server_config:\n  http3: true\n'),
    /web\.yml:4: http_server_config\.http3: Unrecognized key/,
  );
  assert.match(
    errorOf('tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS14\n'),
    /web\.yml:4: tls_server_config\.min_version: Invalid option/,
  );
  assert.match(errorOf('tls_server_config:\n  cert_file: a\n'), /web\.yml:1: tls_server_config\.key_file: missing/);
  assert.match(
    errorOf('tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n'),
    /tls_server_config\.client_ca_file: missing: RequireAndVerifyClientCert needs/,
  );
  assert.match(
    errorOf('tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: c\n'),
    /web\.yml:4: tls_server_config\.client_ca_file: client CAs are configured without a client_auth_type/,
  );
  assert.match(
    errorOf('http_server_config:\n  headers:\n    X-Frame-Options: allowall\n'),
    /web\.yml:3: http_server_config\.headers\.X-Frame-Options: accepted values are deny and sameorigin/,
  );
  assert.match(errorOf('http_server_config:\n  headers:\n    Server: x\n'), /headers\.Server: Unrecognized key/);
  assert.match(
    errorOf('ingest_auth:\n  bearer_tokens_file: a\n  bearer_tokens_env: B\n'),
    /web\.yml:1: ingest_auth: give exactly one of/,
  );
  assert.match(
    errorOf('rate_limit:\n  interval: 1s\n  burst: 5\n'),
    /web\.yml:1: rate_limit: is not supported by mlmon: use ingest_rate_limit/,
  );
  assert.match(
    errorOf('ingest_rate_limit: { requests_per_second: 0, burst: 1 }\n'),
    /ingest_rate_limit\.requests_per_second/,
  );
  assert.match(
    errorOf('tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites: [RC4]\n'),
    /web\.yml:4: tls_server_config\.cipher_suites\.0/,
  );
  assert.match(errorOf('a: [\n'), /web\.yml:\d+:\d+: invalid YAML/);
});

test('a secret never appears in an error, even in a malformed file', () => {
  const secret = 'hunter2-TOPSECRET';
  for (const text of [
    `basic_auth_users:\n  alice: ${secret}\n`,
    `basic_auth_users:\n  alice: "${secret}\n`,
    `tls_server_config:\n  cert_file: a\n  key: ${secret}\n  key_file: b\n`,
    `basic_auth_users: { alice: ${secret}, alice: ${secret} }\n`,
  ]) {
    assert.ok(!errorOf(text).includes(secret), errorOf(text));
  }
});

test('--web.config.file is a flag with a help line', () => {
  assert.equal(parseExporterFlags(['--web.config.file=web.yml']).webConfigFile, 'web.yml');
  const help = spawnSync(process.execPath, [EXPORTER, '--help'], { encoding: 'utf8' });
  assert.match(help.stdout, /--web\.config\.file=PATH .*web-config\.yml/);
});

test('the exporter refuses to start on an invalid or unreadable web config, naming key and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlmon-webcfg-'));
  writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n  alice: ${HASH}\n  bob: plain-text-password\n`);
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [EXPORTER, `--storage.path=${join(dir, 'data')}`, ...args], {
      encoding: 'utf8',
      cwd: dir,
      timeout: 20_000,
    });
  const bad = run('--web.config.file=web.yml', '--web.listen-address=127.0.0.1:0');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /web\.yml:3: basic_auth_users\.bob: must be a bcrypt hash/);
  assert.ok(!bad.stderr.includes('plain-text-password'));
  assert.ok(!bad.stdout.includes('metrics at'));
  const missing = run('--web.config.file=absent.yml', '--web.listen-address=127.0.0.1:0');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read web config file absent\.yml: ENOENT/);
  writeFileSync(join(dir, 'tls.yml'), 'tls_server_config: { cert_file: nope.crt, key_file: nope.key }\n');
  const noCert = run('--web.config.file=tls.yml', '--web.listen-address=127.0.0.1:0');
  assert.equal(noCert.status, 1);
  assert.match(noCert.stderr, /cannot read tls_server_config\.cert_file .*nope\.crt: ENOENT/);
  writeFileSync(join(dir, 'tokens.yml'), 'ingest_auth: { bearer_tokens_env: MLMON_TEST_NO_SUCH_VAR }\n');
  const noTokens = run('--web.config.file=tokens.yml', '--web.listen-address=127.0.0.1:0');
  assert.equal(noTokens.status, 1);
  assert.match(noTokens.stderr, /bearer_tokens_env: the environment variable MLMON_TEST_NO_SUCH_VAR holds no token/);
});
