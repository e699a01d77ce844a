// The web layer's counters, always exported (0 until something happens) so dashboards and the
// metric contract see them whether or not a web config is in force. No label holds a user, a
// token or a client address.
import type { Exposition } from '../metrics/exposition.ts';

export const AUTH_FAILURE_REASONS = [
  'missing_credentials',
  'wrong_scheme',
  'invalid_credentials',
  'client_certificate',
] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

export class SecurityCounters {
  rateLimited = 0;
  readonly authFailures = new Map<AuthFailureReason, number>(AUTH_FAILURE_REASONS.map((r) => [r, 0]));

  countAuthFailure(reason: AuthFailureReason): void {
    this.authFailures.set(reason, (this.authFailures.get(reason) ?? 0) + 1);
  }

  /** Writes the two families (a collector of the metrics registry). */
  readonly collect = (out: Exposition): void => {
    out.family('mlmon_ingest_rate_limited_total').sample({}, this.rateLimited);
    const failures = out.family('mlmon_http_auth_failures_total');
    for (const [reason, count] of this.authFailures) failures.sample({ reason }, count);
  };
}
