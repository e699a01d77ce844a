// The shape of --web.config.file: the Prometheus exporter-toolkit web-config.yml format
// (tls_server_config, http_server_config, basic_auth_users, rate_limit), plus mlmon's own
// additions (ingest_auth, healthy_without_auth, ingest_rate_limit). Strict objects: an unknown
// key is an error naming it, never ignored.
import { z } from 'zod';
import { authLimitsSchema, DEFAULT_AUTH_LIMITS } from './auth-guard.ts';

/** exporter-toolkit's TLS version names, as Node spells them. */
export const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
export type TlsVersionName = keyof typeof TLS_VERSIONS;

/** Go's cipher suite names (crypto/tls CipherSuites(), TLS ≤ 1.2) and their OpenSSL names. */
export const CIPHER_SUITES: Record<string, string> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
};

/** Go's curve names and Node's (ecdhCurve). */
export const CURVES = { CurveP256: 'P-256', CurveP384: 'P-384', CurveP521: 'P-521', X25519: 'X25519' } as const;

export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

/** A bcrypt hash ($2a$, $2b$ or $2y$, cost 04–31); the value itself never appears in an error. */
export const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

const versionName = z.enum(Object.keys(TLS_VERSIONS) as [TlsVersionName, ...TlsVersionName[]]);
const nonEmpty = z.string().min(1);

export const tlsServerConfigSchema = z
  .strictObject({
    cert_file: nonEmpty.optional(),
    key_file: nonEmpty.optional(),
    cert: nonEmpty.optional(),
    key: nonEmpty.optional(),
    client_auth_type: z.enum(CLIENT_AUTH_TYPES).default('NoClientCert'),
    client_ca_file: nonEmpty.optional(),
    client_ca: nonEmpty.optional(),
    client_allowed_sans: z.array(nonEmpty).optional(),
    min_version: versionName.default('TLS12'),
    max_version: versionName.default('TLS13'),
    cipher_suites: z
      .array(z.enum(Object.keys(CIPHER_SUITES) as [string, ...string[]]))
      .min(1)
      .optional(),
    prefer_server_cipher_suites: z.boolean().default(true),
    curve_preferences: z
      .array(z.enum(Object.keys(CURVES) as [keyof typeof CURVES, ...(keyof typeof CURVES)[]]))
      .min(1)
      .optional(),
  })
  .superRefine((tls, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (tls.cert_file && tls.cert) issue('cert', 'give cert or cert_file, not both');
    if (tls.key_file && tls.key) issue('key', 'give key or key_file, not both');
    if (tls.client_ca_file && tls.client_ca) issue('client_ca', 'give client_ca or client_ca_file, not both');
    if (!tls.cert_file && !tls.cert) issue('cert_file', 'missing: the server certificate (cert_file or cert)');
    if (!tls.key_file && !tls.key) issue('key_file', 'missing: the server key (key_file or key)');
    const hasCa = Boolean(tls.client_ca_file || tls.client_ca);
    if (hasCa && tls.client_auth_type === 'NoClientCert') {
      const key = tls.client_ca_file ? 'client_ca_file' : 'client_ca';
      issue(key, 'client CAs are configured without a client_auth_type (e.g. RequireAndVerifyClientCert)');
    }
    if (!hasCa && tls.client_auth_type.includes('Verify')) {
      issue('client_ca_file', `missing: ${tls.client_auth_type} needs the CA that signs client certificates`);
    }
    if (
      tls.client_allowed_sans &&
      tls.client_auth_type !== 'RequireAnyClientCert' &&
      tls.client_auth_type !== 'RequireAndVerifyClientCert'
    ) {
      issue('client_allowed_sans', 'needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert');
    }
    if (Object.keys(TLS_VERSIONS).indexOf(tls.min_version) > Object.keys(TLS_VERSIONS).indexOf(tls.max_version)) {
      issue('min_version', `is above max_version ${tls.max_version}`);
    }
  });

/** The response headers exporter-toolkit lets one set; the values it accepts where it restricts them. */
export const headersSchema = z.strictObject({
  'Content-Security-Policy': z.string().optional(),
  'X-Frame-Options': z
    .string()
    .refine((v) => v === '' || /^(deny|sameorigin)$/i.test(v), 'accepted values are deny and sameorigin')
    .optional(),
  'X-Content-Type-Options': z
    .string()
    .refine((v) => v === '' || /^nosniff$/i.test(v), 'the accepted value is nosniff')
    .optional(),
  'X-XSS-Protection': z.string().optional(),
  'Strict-Transport-Security': z.string().optional(),
});

export const httpServerConfigSchema = z.strictObject({
  /** Accepted for compatibility with exporter-toolkit files; mlmon serves HTTP/1.1 only. */
  http2: z.boolean().default(true),
  headers: headersSchema.default({}),
});

/**
 * exporter-toolkit's server-wide rate_limit is refused rather than ignored: mlmon limits the
 * ingest endpoints per client instead (ingest_rate_limit), and never throttles scrapes.
 */
const unsupportedRateLimit = z
  .unknown()
  .refine(() => false, 'is not supported by mlmon: use ingest_rate_limit (per client, ingest endpoints)');

/** mlmon: bearer tokens for POST /api/v1/records and /api/v1/labels. */
export const ingestAuthSchema = z
  .strictObject({
    bearer_tokens_file: nonEmpty.optional(),
    bearer_tokens_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
  })
  .superRefine((auth, ctx) => {
    if (Boolean(auth.bearer_tokens_file) === Boolean(auth.bearer_tokens_env)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'give exactly one of bearer_tokens_file or bearer_tokens_env',
      });
    }
  });

/** mlmon: a token bucket per client IP address for the ingest endpoints. */
export const ingestRateLimitSchema = z.strictObject({
  requests_per_second: z.number().positive(),
  burst: z.number().int().min(1),
  /** Clients remembered at once; beyond this the least recently seen one is forgotten. */
  max_clients: z.number().int().min(1).max(10_000_000).default(10_000),
});

export const webConfigSchema = z.strictObject({
  tls_server_config: tlsServerConfigSchema.optional(),
  http_server_config: httpServerConfigSchema.default({ http2: true, headers: {} }),
  basic_auth_users: z
    .record(
      z
        .string()
        .min(1)
        .regex(/^[^:]*$/, 'a user name cannot contain ":"'),
      z.string().regex(BCRYPT_HASH, 'must be a bcrypt hash ($2a$, $2b$ or $2y$, cost 04–31)'),
    )
    .optional(),
  rate_limit: unsupportedRateLimit.optional(),
  // mlmon's additions.
  ingest_auth: ingestAuthSchema.optional(),
  healthy_without_auth: z.boolean().default(true),
  ingest_rate_limit: ingestRateLimitSchema.optional(),
  /** mlmon: bounds on bcrypt checks and per-client failures (auth-guard.ts). */
  basic_auth_limits: authLimitsSchema.default(DEFAULT_AUTH_LIMITS),
});

export type WebConfig = z.infer<typeof webConfigSchema>;
export type TlsServerConfig = z.infer<typeof tlsServerConfigSchema>;
