// The `probe` source's config: a model's HTTP prediction endpoint called on an interval.
import { z } from 'zod';
import { durationSchema, sourceNameSchema } from '../../config/duration-schema.ts';

export const probeResponseSchema = z.strictObject({
  /**
   * Where the prediction sits in the JSON answer, as a dotted path (`prediction`,
   * `predictions.0.label`). Unset: any 2xx answer is a success and the body is not checked.
   */
  prediction_field: z.string().min(1).optional(),
  /** The type the prediction must have; `any` accepts a number or a string. */
  prediction_type: z.enum(['number', 'string', 'any']).default('any'),
});

export const probeGoldenSchema = z.strictObject({
  /** A labelled holdout set: JSONL (one object a line) or CSV with a header. */
  path: z.string().min(1),
  format: z.enum(['auto', 'jsonl', 'csv']).default('auto'),
  task: z.enum(['classification', 'regression']),
  /** JSONL: the field holding the request body. CSV: unused (the non-label columns are the body). */
  input_field: z.string().min(1).default('input'),
  /** The field (JSONL) or column (CSV) holding the expected answer. */
  label_field: z.string().min(1).default('label'),
  /** When set, the body sent is `{ <body_field>: input }` rather than the input itself. */
  body_field: z.string().min(1).optional(),
  /** Binary classification: F1 of this class rather than the macro average over all classes. */
  positive_class: z.union([z.string(), z.number()]).optional(),
  /** Golden rows sent per interval; a pass over the whole set spans several intervals. */
  rows_per_interval: z.number().int().min(1).max(100_000).default(100),
  /** Golden requests in flight at once. */
  concurrency: z.number().int().min(1).max(64).default(4),
});

export const probeSourceSchema = z
  .strictObject({
    type: z.literal('probe'),
    name: sourceNameSchema,
    model: z.string(),
    interval: durationSchema.default('15s'),
    /** The prediction endpoint, http or https. */
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['POST', 'PUT']).default('POST'),
    headers: z.record(z.string(), z.string()).default({}),
    /** Per request (attempt), from sending to the whole body read. */
    timeout: durationSchema.default('5s'),
    /** Retries of a request that timed out, failed to connect or got a 5xx answer: 0 or 1. */
    retries: z.number().int().min(0).max(1).default(1),
    /** Health-probe request bodies, sent one per interval in turn. */
    payloads: z.array(z.unknown()).min(1).optional(),
    /** The same as a JSONL file, one body a line. */
    payloads_file: z.string().min(1).optional(),
    response: probeResponseSchema.default({ prediction_type: 'any' }),
    golden: probeGoldenSchema.optional(),
  })
  .refine((c) => (c.payloads === undefined) !== (c.payloads_file === undefined), {
    message: 'set exactly one of payloads and payloads_file',
    path: ['payloads'],
  })
  .refine((c) => c.golden === undefined || c.response.prediction_field !== undefined, {
    message: 'a golden set needs response.prediction_field',
    path: ['golden'],
  });

export type ProbeSourceConfig = z.infer<typeof probeSourceSchema>;
