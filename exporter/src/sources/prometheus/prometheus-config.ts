// The `prometheus` source's config: a histogram that model servers already expose, queried from a
// Prometheus and compared with a reference histogram.
import { z } from 'zod';
import { durationSchema, sourceNameSchema } from '../../config/duration-schema.ts';

/** One cumulative bucket as Prometheus exposes it: `count` values were ≤ `le`. */
export const referenceBucketSchema = z.strictObject({
  le: z.union([z.number(), z.literal('+Inf')]),
  count: z.number().nonnegative(),
});

export const prometheusReferenceSchema = z
  .strictObject({
    /**
     * Fixed reference: cumulative bucket counts exactly as in a `_bucket` series (x ≤ le), `le`
     * strictly increasing, counts non-decreasing, ending with `le: +Inf` (the total).
     */
    buckets: z.array(referenceBucketSchema).min(2).optional(),
    /** Moving reference: the same query shifted back by this much (`offset` in PromQL). */
    offset: durationSchema.optional(),
    /** With `offset`: the reference's range; the current window's by default. */
    window: durationSchema.optional(),
  })
  .refine((r) => (r.buckets === undefined) !== (r.offset === undefined), {
    message: 'set exactly one of buckets and offset',
  })
  .refine((r) => r.buckets === undefined || r.buckets.at(-1)!.le === '+Inf', {
    message: 'the last bucket must be le: +Inf (the total count)',
    path: ['buckets'],
  })
  .refine((r) => r.buckets === undefined || increasing(r.buckets), {
    message: 'le must increase strictly and counts must not decrease (cumulative counts)',
    path: ['buckets'],
  })
  .refine((r) => r.window === undefined || r.offset !== undefined, {
    message: 'window applies to an offset reference only',
    path: ['window'],
  });

export const prometheusSourceSchema = z.strictObject({
  type: z.literal('prometheus'),
  name: sourceNameSchema,
  model: z.string(),
  interval: durationSchema.default('30s'),
  /** The Prometheus base URL (`http://prometheus:9090`); `/api/v1/query` is appended. */
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).default({}),
  timeout: durationSchema.default('10s'),
  /** The histogram's base name: the query reads `<metric>_bucket`. */
  metric: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name'),
  /** Label matchers put inside the braces, e.g. `job="model", model="churn"`. */
  selector: z.string().default(''),
  /** Current windows: `sum by (le) (increase(<metric>_bucket{selector}[window]))`. */
  windows: z.array(durationSchema).min(1).default(['1h']),
  reference: prometheusReferenceSchema,
  /** Below this many current values the statistics are not exported (the sample count is). */
  min_samples: z.number().int().min(1).default(1000),
});

export type PrometheusSourceConfig = z.infer<typeof prometheusSourceSchema>;
export type ReferenceBucket = z.infer<typeof referenceBucketSchema>;

function increasing(buckets: ReferenceBucket[]): boolean {
  for (let i = 1; i < buckets.length; i++) {
    if (leValue(buckets[i].le) <= leValue(buckets[i - 1].le)) return false;
    if (buckets[i].count < buckets[i - 1].count) return false;
  }
  return true;
}

function leValue(le: number | '+Inf'): number {
  return le === '+Inf' ? Infinity : le;
}
