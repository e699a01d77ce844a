// The `prometheus` source's config. (Placeholder: being written.)
import { z } from 'zod';
import { durationSchema, sourceNameSchema } from '../config/duration-schema.ts';

export const prometheusSourceSchema = z.strictObject({
  type: z.literal('prometheus'),
  name: sourceNameSchema,
  model: z.string(),
  interval: durationSchema.default('15s'),
});

export type PrometheusSourceConfig = z.infer<typeof prometheusSourceSchema>;
