// The `file` source's config.
import { z } from 'zod';
import { durationSchema, sourceNameSchema } from '../../config/duration-schema.ts';

export const fileSourceSchema = z.strictObject({
  type: z.literal('file'),
  name: sourceNameSchema,
  /** Records whose `model` field is absent are counted for this model. */
  model: z.string(),
  /** A file, a glob (`logs/*.jsonl`), a folder (every file in it), or an http(s) URL. */
  path: z.string().min(1),
  format: z.enum(['auto', 'jsonl', 'csv', 'parquet']).default('auto'),
  /** `records` are inference records; `labels` are {id, label, timestamp?} rows. */
  kind: z.enum(['records', 'labels']).default('records'),
  interval: durationSchema.default('10s'),
});

export type FileSourceConfig = z.infer<typeof fileSourceSchema>;
