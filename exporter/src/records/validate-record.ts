// Checks one ingest record against the record format of exporter/README.md. The first problem found is
// reported with the field it concerns; feature values are checked later, against the profile.
import type { InferenceRecord } from '../window/record.ts';
import { DEFAULT_RECORD_LIMITS, exceedsBytes, type RecordLimits } from '../server/limits.ts';

export interface Rejection {
  index: number;
  field: string;
  reason: string;
}

const FIELDS = new Set(['model', 'features', 'prediction', 'scores', 'label', 'id', 'timestamp', 'model_version']);
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export type Validation = { record: InferenceRecord } | { rejection: Omit<Rejection, 'index'> };

/** `limits` as a number: the most features, with the default byte limits. */
export function validateRecord(value: unknown, limits: RecordLimits | number): Validation {
  const bounds = typeof limits === 'number' ? { ...DEFAULT_RECORD_LIMITS, maxFeatures: limits } : limits;
  const reject = (field: string, reason: string): Validation => ({ rejection: { field, reason } });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return reject('', 'not_an_object');
  const raw = value as Record<string, unknown>;
  for (const key in raw) if (!FIELDS.has(key)) return reject(key, 'unknown_field');

  if (raw.model === undefined) return reject('model', 'missing');
  if (typeof raw.model !== 'string') return reject('model', 'expected_string');
  if (raw.features === undefined) return reject('features', 'missing');
  if (!isPlainObject(raw.features)) return reject('features', 'expected_object');
  let count = 0;
  for (const key in raw.features) {
    if (++count > bounds.maxFeatures) return reject('features', 'too_many_features');
    if (exceedsBytes(key, bounds.maxFeatureNameBytes)) return reject('features', 'feature_name_too_long');
    const feature = raw.features[key];
    if (typeof feature === 'string' && exceedsBytes(feature, bounds.maxValueBytes)) {
      return reject(`features.${key}`, 'value_too_long');
    }
  }

  const record: InferenceRecord = { model: raw.model, features: raw.features };
  if (raw.prediction !== undefined && raw.prediction !== null) {
    if (typeof raw.prediction !== 'number' && typeof raw.prediction !== 'string') {
      return reject('prediction', 'expected_number_or_string');
    }
    if (typeof raw.prediction === 'string' && exceedsBytes(raw.prediction, bounds.maxValueBytes)) {
      return reject('prediction', 'value_too_long');
    }
    record.prediction = raw.prediction;
  }
  if (raw.label !== undefined && raw.label !== null) {
    if (typeof raw.label !== 'number' && typeof raw.label !== 'string')
      return reject('label', 'expected_number_or_string');
    if (typeof raw.label === 'string' && exceedsBytes(raw.label, bounds.maxValueBytes)) {
      return reject('label', 'value_too_long');
    }
    record.label = raw.label;
  }
  if (raw.scores !== undefined) {
    if (!isPlainObject(raw.scores)) return reject('scores', 'expected_object');
    for (const key in raw.scores) {
      if (exceedsBytes(key, bounds.maxValueBytes)) return reject('scores', 'value_too_long');
      if (typeof raw.scores[key] !== 'number') return reject(`scores.${key}`, 'expected_number');
    }
    record.scores = raw.scores as Record<string, number>;
  }
  for (const field of ['id', 'model_version'] as const) {
    if (raw[field] !== undefined && typeof raw[field] !== 'string') return reject(field, 'expected_string');
  }
  if (raw.id !== undefined && exceedsBytes(raw.id as string, bounds.maxIdBytes)) return reject('id', 'id_too_long');
  if (raw.model_version !== undefined && exceedsBytes(raw.model_version as string, bounds.maxModelVersionBytes)) {
    return reject('model_version', 'model_version_too_long');
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
  if (typeof value !== 'string') return undefined;
  const match = RFC3339.exec(value);
  if (!match || !isCalendarDate(match)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Date.parse rolls 2024-02-31 over to March 2; RFC 3339 says such a date does not exist. */
function isCalendarDate(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
