// The YAML config's shape. Strict objects: an unknown key is an error naming it, never ignored.
import { z } from 'zod';
import { estimationSchema } from '../performance/cbpe-config.ts';
import { limitsSchema } from '../server/limits.ts';
import { durationSchema as duration } from './duration-schema.ts';
import { sourceSchema, type SourceConfig } from '../sources/registry.ts';

export const featureSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(['numeric', 'categorical']).optional(),
});

/** A monitored feature: its importance (default 1) weighs it in `mlmon_model_drift_score` (report/drift-score.ts). */
export const modelFeatureSchema = featureSchema.extend({
  importance: z.number().nonnegative().finite().optional(),
});

export const driftSchema = z
  .strictObject({
    statistic: z.enum(['psi', 'jensen_shannon', 'wasserstein_normalized', 'ks_pvalue']).default('psi'),
    threshold: z.number().positive().optional(),
    share: z.number().gt(0).lte(1).default(0.3),
    /** `false_alarm_rate`: thresholds simulated per feature and window size (src/calibration/). */
    calibration: z.enum(['none', 'false_alarm_rate']).default('none'),
    /** Probability that a window of the model with no drift raises a false alarm. */
    false_alarm_rate: z.number().gt(0).max(0.2).default(0.01),
    /** How that budget is shared among the model's features. */
    correction: z.enum(['sidak', 'bonferroni', 'none']).default('sidak'),
    /** Bins per drifted feature and window whose contribution to the statistic is exported. */
    top_bins: z.number().int().min(0).max(10).default(3),
  })
  .refine((drift) => drift.calibration === 'none' || drift.threshold === undefined, {
    message: 'a calibrated model has no fixed threshold; remove one of the two',
    path: ['threshold'],
  });

export const referenceSchema = z
  .strictObject({
    path: z.string().min(1),
    format: z.enum(['auto', 'csv', 'jsonl', 'parquet', 'profile']).default('auto'),
    /** Column of the reference data holding each row's time (RFC 3339 or epoch ms); not a feature. */
    timestamp: z.string().min(1).optional(),
    /** Compare each window with the reference rows of the same hours (src/reference/). */
    season: z.enum(['hour_of_week', 'hour_of_day']).optional(),
    /** Compare each window with the same window this long earlier, from the exporter's history. */
    rolling: duration.optional(),
  })
  .refine((reference) => reference.season === undefined || reference.timestamp !== undefined, {
    message: "a seasonal reference needs reference.timestamp (the column with each row's time)",
    path: ['season'],
  })
  .refine((reference) => reference.season === undefined || reference.rolling === undefined, {
    message: 'a reference is seasonal or rolling, not both',
    path: ['rolling'],
  })
  .refine((reference) => reference.timestamp === undefined || reference.format !== 'profile', {
    message: 'a saved profile has no rows to take times from; give the reference data',
    path: ['timestamp'],
  });

export const performanceSchema = z.strictObject({
  /** Inferred from the prediction: categorical → classification, numeric → regression. */
  task: z.enum(['classification', 'regression']).optional(),
  /** Binary classification: the positive class (precision, recall, F1, AUROC); else macro averages. */
  positive_class: z.union([z.string(), z.number()]).transform(String).optional(),
  /**
   * A numeric prediction scored as a binary classifier: predicted class = score ≥ threshold ?
   * positive_class : negative_class, and the score is the positive class's probability.
   */
  threshold: z.number().min(0).max(1).optional(),
  negative_class: z.union([z.string(), z.number()]).transform(String).optional(),
  /** Classes tracked in the confusion matrix; the rest are __other__. */
  max_classes: z.number().int().min(2).max(50).default(20),
  /** Label-free estimation (CBPE) of a classifier (binary, or multiclass one-vs-rest), calibrated on a labelled reference. */
  estimation: estimationSchema.optional(),
});

export const labelsSchema = z.strictObject({
  /** Predictions (with an id) waiting for their label; the oldest is evicted beyond this. */
  join_buffer: z.number().int().min(1).max(10_000_000).default(100_000),
  /** A prediction waiting longer than this is evicted (counted as expired). */
  max_delay: duration.default('24h'),
});

export const modelSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits and _ . : -')
    .max(128),
  reference: referenceSchema,
  features: z.array(modelFeatureSchema).optional(),
  exclude: z.array(z.string()).default([]),
  prediction: featureSchema.optional(),
  /**
   * Categorical features whose values are monitored as segments of their own (drift and data
   * quality per value). Each column is segmented separately, never crossed with another.
   */
  segments: z
    .array(z.string().min(1))
    .max(3, 'at most 3 segment columns')
    .refine((columns) => new Set(columns).size === columns.length, 'a segment column is listed twice')
    .default([]),
  /** The most frequent reference values of each segment column kept as segments; the rest are __other__. */
  segment_values: z.number().int().min(1).max(20).default(5),
  windows: z.array(duration).min(1).default(['1h', '24h']),
  bins: z.number().int().min(2).max(100).default(10),
  fine_bins: z.number().int().min(10).max(1000).default(100),
  max_categories: z.number().int().min(1).max(1000).default(50),
  max_reference_categories: z.number().int().min(1).max(1_000_000).default(10_000),
  max_features: z.number().int().min(1).max(10_000).default(500),
  min_samples: z.number().int().min(1).default(1000),
  drift: driftSchema.default({
    statistic: 'psi',
    share: 0.3,
    calibration: 'none',
    false_alarm_rate: 0.01,
    correction: 'sidak',
    top_bins: 3,
  }),
  performance: performanceSchema.default({ max_classes: 20 }),
  labels: labelsSchema.default({ join_buffer: 100_000, max_delay: '24h' }),
});

export const demoSchema = z.strictObject({
  enabled: z.boolean().default(true),
  records_per_second: z.number().positive().max(100_000).default(200),
  drift_after: duration.default('3m'),
  /** Half of the demo predictions get their label this long after the prediction. */
  label_delay: duration.default('30s'),
  seed: z.number().int().default(42),
});

export const ingestSchema = z.strictObject({
  max_request_bytes: z
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  max_records_per_request: z.number().int().positive().default(100_000),
  max_depth: z.number().int().min(2).max(1000).default(32),
  max_features_per_record: z.number().int().positive().default(2_000),
  slices: z.number().int().min(2).max(10_000).default(60),
  future_tolerance: duration.default('5m'),
});

export const configSchema = z.strictObject({
  models: z.array(modelSchema).default([]),
  sources: z.array(sourceSchema).default([]),
  demo: demoSchema.optional(),
  ingest: ingestSchema.default(ingestSchema.parse({})),
  /** Bounds on what clients send (server/limits.ts); not part of a model's definition. */
  limits: limitsSchema.default(limitsSchema.parse({})),
});

export type ModelConfig = z.infer<typeof modelSchema>;
export type PerformanceConfig = z.infer<typeof performanceSchema>;
export type LabelsConfig = z.infer<typeof labelsSchema>;
export type FeatureConfig = z.infer<typeof featureSchema>;
export type DemoConfig = z.infer<typeof demoSchema>;
export type IngestConfig = z.infer<typeof ingestSchema>;
export type Config = z.infer<typeof configSchema>;

export { sourceSchema, type SourceConfig };
