import { z } from 'zod';
import { parseDuration } from '../util/duration.ts';

/** A Prometheus-style duration string ("90s", "5m", "1h"). */
export const durationSchema = z.string().refine((s) => parseDuration(s) !== undefined, {
  message: 'must be a duration such as 90s, 5m, 1h or 7d',
});

export const sourceNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits and _ . : -')
  .max(128);
