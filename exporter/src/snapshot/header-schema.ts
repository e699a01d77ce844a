// The snapshot header's shape, checked before any field is used: a header with the right checksum
// but a wrong type (a number where a model version is expected) is refused as corrupt rather than
// restored into state that breaks every scrape.
import { z } from 'zod';

const count = z.number().int().nonnegative();
const ringEntrySchema = z.object({
  windowMs: z.number().positive(),
  slices: count,
  width: count,
  extrema: count,
  offset: count,
  length: count,
});

const performanceSchema = z.object({
  task: z.string().max(64),
  classes: z.array(z.string().max(1_048_576)),
  windows: z.array(ringEntrySchema),
});

const segmentSchema = z.object({
  value: z.string().max(1_048_576),
  lastRecordMs: z.number().finite().nullable(),
  modelVersion: z.string().max(4096),
  windows: z.array(ringEntrySchema),
  performance: performanceSchema.optional(),
  estimation: z.array(ringEntrySchema).optional(),
});

const segmentColumnSchema = z.object({
  column: z.string().max(1_048_576),
  values: z.array(z.string().max(1_048_576)),
  profileHashes: z.array(z.string().max(256)),
  segments: z.array(segmentSchema),
});

const modelEntrySchema = z.object({
  name: z.string().min(1).max(128),
  referenceHash: z.string().max(256),
  definitionHash: z.string().max(256),
  lastRecordMs: z.number().finite().nullable(),
  // The longest a record may set: limits.max_model_version_bytes is at most 4096.
  modelVersion: z.string().max(4096),
  windows: z.array(ringEntrySchema),
  performance: performanceSchema.optional(),
  estimation: z.object({ calibrationHash: z.string().max(256), windows: z.array(ringEntrySchema) }).optional(),
  segments: z.array(segmentColumnSchema).optional(),
});

export const snapshotHeaderSchema = z.object({
  createdMs: z.number().finite(),
  endianness: z.enum(['LE', 'BE']),
  exporterVersion: z.string().max(256),
  models: z.array(modelEntrySchema),
  sources: z.record(z.string(), z.object({ model: z.string(), checkpoint: z.unknown() })).optional(),
});

/** The first problem of a header, as `path: message`, or undefined when it is well formed. */
export function headerProblem(header: unknown): string | undefined {
  const result = snapshotHeaderSchema.safeParse(header);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return `${issue.path.join('.') || '(header)'}: ${issue.message}`;
}
