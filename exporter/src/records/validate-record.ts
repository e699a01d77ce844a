// Checks one ingest record against the record format of exporter/README.md. The first problem found is
// reported with the field it concerns; feature values are checked later, against the profile.
import type { InferenceRecord } from '../window/record.ts';

export interface Rejection {
  index: number;
  field: string;
  reason: string;
}

const FIELDS = new Set(['model', 'features', 'prediction', 'scores', 'label', 'id', 'timestamp', 'model_version']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export type Validation = { record: InferenceRecord } | { rejection: Omit<Rejection, 'index'> };

export function validateRecord(value: unknown, maxFeatures: number): Validation {
  const reject = (field: string, reason: string): Validation => ({ rejection: { field, reason } });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return reject('', 'not_an_object');
  const raw = value as Record<string, unknown>;
  for (const key in raw) if (!FIELDS.has(key)) return reject(key, 'unknown_field');

  if (raw.model === undefined) return reject('model', 'missing');
  if (typeof raw.model !== 'string') return reject('model', 'expected_string');
  if (raw.features === undefined) return reject('features', 'missing');
  if (!isPlainObject(raw.features)) return reject('features', 'expected_object');
  let count = 0;
  for (const _key in raw.features) if (++count > maxFeatures) return reject('features', 'too_many_features');

  const record: InferenceRecord = { model: raw.model, features: raw.features };
  if (raw.prediction !== undefined && raw.prediction !== null) {
    if (typeof raw.prediction !== 'number' && typeof raw.prediction !== 'string') {
      return reject('prediction', 'expected_number_or_string');
    }
    record.prediction = raw.prediction;
  }
  if (raw.label !== undefined && raw.label !== null) {
    if (typeof raw.label !== 'number' && typeof raw.label !== 'string')
      return reject('label', 'expected_number_or_string');
    record.label = raw.label;
  }
  if (raw.scores !== undefined) {
    if (!isPlainObject(raw.scores)) return reject('scores', 'expected_object');
    for (const key in raw.scores) {
      if (typeof raw.scores[key] !== 'number') return reject(`scores.${key}`, 'expected_number');
    }
    record.scores = raw.scores as Record<string, number>;
  }
  for (const field of ['id', 'model_version'] as const) {
    if (raw[field] !== undefined && typeof raw[field] !== 'string') return reject(field, 'expected_string');
  }
  record.id = raw.id as string | undefined;
  record.modelVersion = raw.model_version as string | undefined;
  if (raw.timestamp !== undefined) {
    const ms = parseTimestamp(raw.timestamp);
    if (ms === undefined) return reject('timestamp', 'invalid_timestamp');
    record.timestampMs = ms;
  }
  return { record };
}

/** RFC 3339 text or Unix epoch milliseconds. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !RFC3339.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
