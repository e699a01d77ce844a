// One probe request to the model: a per-attempt timeout (sending to the whole body read), at most
// one retry of an attempt that timed out, could not connect or got a 5xx, and the answer checked
// against the configured response schema.
import type { Dispatcher } from 'undici';
import { undici } from '../../util/commonjs.ts';
import type { ProbeSourceConfig } from './probe-config.ts';

/** The outcome of one HTTP attempt, the `result` label of mlmon_probe_requests_total. */
export type AttemptResult = 'success' | 'timeout' | 'connection_error' | 'http_error' | 'schema_violation';

/** Why an answer broke the response schema, the `reason` label of the violations counter. */
export type ViolationReason = 'invalid_json' | 'missing_field' | 'wrong_type';

export interface Attempt {
  result: AttemptResult;
  /** 0 when no answer came (timeout, connection error). */
  status: number;
  seconds: number;
  violation?: ViolationReason;
  /** The value at `prediction_field`, when configured and present. */
  prediction?: unknown;
}

export interface ProbeOutcome {
  /** The last attempt decides. */
  final: Attempt;
  attempts: Attempt[];
}

export interface ProbeRequestOptions {
  config: ProbeSourceConfig;
  dispatcher: Dispatcher;
  timeoutMs: number;
  /** Aborted when the source stops. */
  stopping: AbortSignal;
}

export async function probe(body: unknown, options: ProbeRequestOptions): Promise<ProbeOutcome> {
  const attempts: Attempt[] = [];
  for (let i = 0; i <= options.config.retries; i++) {
    const attempt = await attemptOnce(body, options);
    attempts.push(attempt);
    if (!retryable(attempt) || options.stopping.aborted) break;
  }
  return { final: attempts.at(-1)!, attempts };
}

/** Transient failures only: a 4xx or a schema violation would fail the same way again. */
function retryable(attempt: Attempt): boolean {
  return (
    attempt.result === 'timeout' ||
    attempt.result === 'connection_error' ||
    (attempt.result === 'http_error' && attempt.status >= 500)
  );
}

async function attemptOnce(body: unknown, options: ProbeRequestOptions): Promise<Attempt> {
  const { config, timeoutMs } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let status: number;
  let text: string;
  try {
    const response = await undici().request(config.url, {
      method: config.method,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...config.headers },
      body: JSON.stringify(body),
      dispatcher: options.dispatcher,
      signal: AbortSignal.any([options.stopping, timeout]),
      // undici's own timers are coarse (they may fire early); the abort signal above is the timeout.
      headersTimeout: timeoutMs + 5_000,
      bodyTimeout: timeoutMs + 5_000,
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (err) {
    const timedOut = timeout.aborted || (err as { code?: string }).code?.includes('TIMEOUT');
    return { result: timedOut ? 'timeout' : 'connection_error', status: 0, seconds: elapsed() };
  }
  const seconds = elapsed();
  if (status < 200 || status > 299) return { result: 'http_error', status, seconds };
  const field = config.response.prediction_field;
  if (field === undefined) return { result: 'success', status, seconds };
  const checked = checkAnswer(text, field, config.response.prediction_type);
  if ('violation' in checked) return { result: 'schema_violation', status, seconds, violation: checked.violation };
  return { result: 'success', status, seconds, prediction: checked.prediction };
}

/** The prediction at a dotted path of a JSON answer, or why the answer breaks the schema. */
export function checkAnswer(
  text: string,
  field: string,
  type: 'number' | 'string' | 'any',
): { prediction: unknown } | { violation: ViolationReason } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { violation: 'invalid_json' };
  }
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key))
      return { violation: 'missing_field' };
    value = (value as Record<string, unknown>)[key];
  }
  if (value === null || value === undefined) return { violation: 'missing_field' };
  const ok =
    type === 'number'
      ? typeof value === 'number'
      : type === 'string'
        ? typeof value === 'string'
        : typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
  return ok ? { prediction: value } : { violation: 'wrong_type' };
}
