// The `postgres` source's config. (Placeholder: being written.)
import { z } from 'zod';
import { durationSchema, sourceNameSchema } from '../config/duration-schema.ts';

export const postgresSourceSchema = z.strictObject({
  type: z.literal('postgres'),
  name: sourceNameSchema,
  model: z.string(),
  interval: durationSchema.default('15s'),
});

export type PostgresSourceConfig = z.infer<typeof postgresSourceSchema>;
