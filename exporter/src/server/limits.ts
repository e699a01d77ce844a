// Bounds on what a client controls, each a key of the config's `limits:` section. They live apart
// from `ingest:` on purpose: a model's definition (what its windows mean) includes `ingest`, and a
// change of a limit must not throw the windows away on reload or restore.
import { z } from 'zod';

export const limitsSchema = z.strictObject({
  /** Bytes of a record's or label's `id` (UTF-8). */
  max_id_bytes: z.number().int().min(1).max(65_536).default(256),
  /** Bytes of `model_version`: it becomes a label value of every scrape and is kept in the snapshot. */
  max_model_version_bytes: z.number().int().min(1).max(4096).default(128),
  /** Bytes of a string value: a category, a prediction or label class, a score's class name. */
  max_value_bytes: z.number().int().min(1).max(1_048_576).default(1024),
  /** Bytes of a feature name. */
  max_feature_name_bytes: z.number().int().min(1).max(65_536).default(256),
  /** Bytes held by one model's label join buffer (ids, predictions, scores); the oldest is evicted beyond. */
  join_buffer_bytes: z
    .number()
    .int()
    .min(1024)
    .default(32 * 1024 * 1024),
  /**
   * Full-size ingest bodies read and parsed at once: the requests in progress may declare up to this
   * many times `ingest.max_request_bytes` together (InFlight); more are answered 503 before their body is read.
   */
  max_concurrent_ingest: z.number().int().min(1).max(1024).default(2),
});

export type Limits = z.infer<typeof limitsSchema>;
export const DEFAULT_LIMITS: Limits = limitsSchema.parse({});

/** The limits one record is validated against (server/validate-record.ts). */
export interface RecordLimits {
  maxFeatures: number;
  maxIdBytes: number;
  maxModelVersionBytes: number;
  maxValueBytes: number;
  maxFeatureNameBytes: number;
}

export function recordLimits(limits: Limits, maxFeatures: number): RecordLimits {
  return {
    maxFeatures,
    maxIdBytes: limits.max_id_bytes,
    maxModelVersionBytes: limits.max_model_version_bytes,
    maxValueBytes: limits.max_value_bytes,
    maxFeatureNameBytes: limits.max_feature_name_bytes,
  };
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = recordLimits(DEFAULT_LIMITS, 2000);

/** True when `text` is longer than `maxBytes` in UTF-8; cheap for short strings (≤ 3 bytes a UTF-16 unit). */
export function exceedsBytes(text: string, maxBytes: number): boolean {
  if (text.length * 3 <= maxBytes) return false;
  return text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes;
}

/**
 * Bytes of ingest bodies being read and parsed at once. A request holds its declared Content-Length
 * (a chunked body, of unknown length, holds `requestBytes`, the most a body may have) until it is
 * answered; one that would take the total past `maxBytes` is refused. So a few full-size bodies, or
 * many small ones (a model server posting each prediction as it comes), go through together, and
 * the memory of parsing stays bounded by `maxBytes` either way.
 */
export class InFlight {
  private used = 0;
  constructor(
    readonly maxBytes: number,
    readonly requestBytes: number,
  ) {}

  /** Bytes held by the requests in progress. */
  get bytes(): number {
    return this.used;
  }

  /** What a request with this Content-Length header holds. */
  weigh(contentLength: string | undefined): number {
    const declared = contentLength === undefined ? NaN : Number(contentLength);
    return Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, this.requestBytes) : this.requestBytes;
  }

  /** Takes `bytes` when they fit; false means refuse the request. */
  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** Work done between two yields to the event loop, so that no request holds a scrape for long. */
export const STEP_BUDGET_MS = 10;

/** Items a loop handles between two looks at the clock (performance.now() per record would cost more than a record's check). */
export const STEP_CHECK_ITEMS = 16;

/** Tells a long loop when it has run STEP_BUDGET_MS since it last let the event loop turn. */
export class StepBudget {
  private since = performance.now();

  /** True once the loop has run its budget: then `await budget.yield()`. */
  due(): boolean {
    return performance.now() - this.since >= STEP_BUDGET_MS;
  }

  async yield(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }
}
