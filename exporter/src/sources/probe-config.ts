// The `probe` source's config. (Placeholder: being written.)
import { z } from 'zod';
import { durationSchema, sourceNameSchema } from '../config/duration-schema.ts';

export const probeSourceSchema = z.strictObject({
  type: z.literal('probe'),
  name: sourceNameSchema,
  model: z.string(),
  interval: durationSchema.default('15s'),
});

export type ProbeSourceConfig = z.infer<typeof probeSourceSchema>;
