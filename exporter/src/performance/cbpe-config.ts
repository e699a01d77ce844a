// `performance.estimation` of a model: where the labelled reference for CBPE's calibration is.
// Its own file so that the config schema only names it.
import { z } from 'zod';

export const estimationSchema = z.strictObject({
  /** A labelled reference (CSV, JSONL or Parquet): the model's score and the true label per row. */
  reference: z.strictObject({
    path: z.string().min(1),
    format: z.enum(['auto', 'csv', 'jsonl', 'parquet']).default('auto'),
  }),
  /** Column of the positive class's score; defaults to the model's prediction (a thresholded score). */
  score: z.string().min(1).optional(),
  /**
   * Multiclass (no positive_class): each class's score column in the reference, by class name. The
   * records' `scores` carry the same class names.
   */
  scores: z.record(z.string().min(1), z.string().min(1)).optional(),
  /** Column of the true label. */
  label: z.string().min(1).default('label'),
  /** Labelled predictions a window needs before its estimate is checked against them. */
  min_labelled: z.number().int().min(1).default(500),
});

export type EstimationConfig = z.infer<typeof estimationSchema>;
