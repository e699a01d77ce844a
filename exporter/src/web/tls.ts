// TLS for the HTTP server: Node https options from tls_server_config, client-certificate
// policies, and certificates re-read when their files change (checked on new connections, at
// most once per second, then server.setSecureContext), with no restart and no dropped connection.
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import {
  createSecureContext,
  type SecureContextOptions,
  type Server as TlsServer,
  type TLSSocket,
  type TlsOptions,
} from 'node:tls';
import { CIPHER_SUITES, CURVES, TLS_VERSIONS, type TlsServerConfig } from './config-schema.ts';
import { FileStamps } from './file-stamp.ts';

export class TlsFilesError extends Error {}

/** The parts of the options that come from files (certificate, key, client CA). */
function readMaterial(config: TlsServerConfig): SecureContextOptions {
  const read = (path: string | undefined, inline: string | undefined, what: string) => {
    if (inline !== undefined) return inline;
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw new TlsFilesError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  };
  const material: SecureContextOptions = {
    cert: read(config.cert_file, config.cert, 'tls_server_config.cert_file'),
    key: read(config.key_file, config.key, 'tls_server_config.key_file'),
  };
  const ca = read(config.client_ca_file, config.client_ca, 'tls_server_config.client_ca_file');
  if (ca !== undefined) material.ca = ca;
  return material;
}

export class TlsContext {
  private readonly stamps: FileStamps;
  /** Certificate reloads since start, by result (for tests and logs). */
  readonly reloads = { success: 0, failure: 0 };

  constructor(
    private readonly config: TlsServerConfig,
    private readonly onRejectedClient: () => void = () => {},
    private readonly log: (message: string) => void = (m) => console.error(`mlmon-exporter: ${m}`),
    checkIntervalMs = 1000,
  ) {
    const files = [config.cert_file, config.key_file, config.client_ca_file].filter((p): p is string => Boolean(p));
    this.stamps = new FileStamps(files, checkIntervalMs);
  }

  /** Options for https.createServer (fastify's `https`). Throws TlsFilesError on unreadable files. */
  serverOptions(): TlsOptions {
    const c = this.config;
    const contextOptions = this.secureContextOptions();
    try {
      createSecureContext(contextOptions);
    } catch (err) {
      const reason = (err as { code?: string }).code ?? 'invalid';
      throw new TlsFilesError(`tls_server_config: the certificate, key or client CA is not usable (${reason})`);
    }
    const options: TlsOptions = {
      ...contextOptions,
      requestCert: c.client_auth_type !== 'NoClientCert',
      // Verification is enforced in attach(), on every secure connection, so that each refusal is
      // seen and counted (Node's own refusal closes the socket without a word).
      rejectUnauthorized: false,
    };
    return options;
  }

  /** Everything that makes a secure context: setSecureContext takes the same options. */
  private secureContextOptions(): SecureContextOptions {
    const c = this.config;
    const options: SecureContextOptions = {
      ...readMaterial(c),
      minVersion: TLS_VERSIONS[c.min_version],
      maxVersion: TLS_VERSIONS[c.max_version],
      honorCipherOrder: c.prefer_server_cipher_suites,
    };
    if (c.cipher_suites) {
      // TLS 1.3 suites are not configurable (as in Go); Node's defaults stay for TLS 1.3.
      options.ciphers = [
        'TLS_AES_256_GCM_SHA384',
        'TLS_CHACHA20_POLY1305_SHA256',
        'TLS_AES_128_GCM_SHA256',
        ...c.cipher_suites.map((name) => CIPHER_SUITES[name]),
      ].join(':');
    }
    if (c.curve_preferences) options.ecdhCurve = c.curve_preferences.map((name) => CURVES[name]).join(':');
    return options;
  }

  /** Installs the reload check and the client-certificate policies (client_auth_type, client_allowed_sans). */
  attach(server: TlsServer): void {
    // Before Node's own listener, which makes the TLS socket from the context in force.
    server.prependListener('connection', () => this.reloadIfChanged(server));
    // Before the HTTP server's listener: a refused client never has a request read.
    server.prependListener('secureConnection', (socket: TLSSocket) => {
      if (!this.acceptsPeer(socket)) {
        this.onRejectedClient();
        socket.destroy();
      }
    });
    server.on('tlsClientError', (err: Error & { code?: string }, _socket: Socket) => {
      if (/CERTIFICATE|UNKNOWN_CA|CERT_/.test(err.code ?? '') || /certificate/i.test(err.message)) {
        this.onRejectedClient();
      }
    });
  }

  /** Re-reads the files when they changed; on an error keeps the context in force. */
  reloadIfChanged(server: TlsServer, now = Date.now()): void {
    if (!this.stamps.changed(now)) return;
    try {
      server.setSecureContext(this.secureContextOptions());
      this.reloads.success++;
    } catch (err) {
      this.reloads.failure++;
      // OpenSSL's reason ("key values mismatch"), never the files' contents.
      const reason = err instanceof TlsFilesError ? err.message : ((err as { code?: string }).code ?? 'invalid');
      this.log(`TLS certificate reload failed, keeping the previous certificate: ${reason}`);
    }
  }

  private acceptsPeer(socket: TLSSocket): boolean {
    const type = this.config.client_auth_type;
    if (type === 'NoClientCert' || type === 'RequestClientCert') return true;
    const cert = socket.getPeerCertificate();
    const given = Boolean(cert && Object.keys(cert).length > 0);
    if (type === 'RequireAnyClientCert' && !given) return false;
    if (type === 'VerifyClientCertIfGiven' && given && !socket.authorized) return false;
    if (type === 'RequireAndVerifyClientCert' && (!given || !socket.authorized)) return false;
    const allowed = this.config.client_allowed_sans;
    if (allowed && given) {
      const sans = (cert.subjectaltname ?? '')
        .split(', ')
        .map((entry) => entry.slice(entry.indexOf(':') + 1))
        .filter(Boolean);
      return sans.some((san) => allowed.includes(san));
    }
    return !allowed;
  }
}
