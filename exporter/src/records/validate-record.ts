// Checks one ingest record against the record format of exporter/README.md. The first problem found is
// reported with the field it concerns; feature values are checked later, against the profile.
import type { InferenceRecord } from '../window/record.ts';
import { DEFAULT_RECORD_LIMITS, exceedsBytes, type RecordLimits } from '../server/limits.ts';
import { canonicalUtcMs, daysInMonth } from './utc-timestamp.ts';

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
  // Every ingested record passes here: no closure, array or object is made for a good one but the record.
  const bounds = typeof limits === 'number' ? defaultLimitsWith(limits) : limits;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return reject('', 'not_an_object');
  const raw = value as Record<string, unknown>;
  for (const key in raw) if (!FIELDS.has(key)) return reject(key, 'unknown_field');

  const { model, features, prediction, label, scores, id, model_version: modelVersion, timestamp } = raw;
  if (model === undefined) return reject('model', 'missing');
  if (typeof model !== 'string') return reject('model', 'expected_string');
  if (features === undefined) return reject('features', 'missing');
  if (!isPlainObject(features)) return reject('features', 'expected_object');
  let count = 0;
  for (const key in features) {
    if (++count > bounds.maxFeatures) return reject('features', 'too_many_features');
    if (exceedsBytes(key, bounds.maxFeatureNameBytes)) return reject('features', 'feature_name_too_long');
    const feature = features[key];
    if (typeof feature === 'string' && exceedsBytes(feature, bounds.maxValueBytes)) {
      return reject(`features.${key}`, 'value_too_long');
    }
  }

  const record: InferenceRecord = { model, features };
  if (prediction !== undefined && prediction !== null) {
    if (typeof prediction !== 'number' && typeof prediction !== 'string') {
      return reject('prediction', 'expected_number_or_string');
    }
    if (typeof prediction === 'string' && exceedsBytes(prediction, bounds.maxValueBytes)) {
      return reject('prediction', 'value_too_long');
    }
    record.prediction = prediction;
  }
  if (label !== undefined && label !== null) {
    if (typeof label !== 'number' && typeof label !== 'string') return reject('label', 'expected_number_or_string');
    if (typeof label === 'string' && exceedsBytes(label, bounds.maxValueBytes)) {
      return reject('label', 'value_too_long');
    }
    record.label = label;
  }
  if (scores !== undefined) {
    if (!isPlainObject(scores)) return reject('scores', 'expected_object');
    for (const key in scores) {
      if (exceedsBytes(key, bounds.maxValueBytes)) return reject('scores', 'value_too_long');
      if (typeof scores[key] !== 'number') return reject(`scores.${key}`, 'expected_number');
    }
    record.scores = scores as Record<string, number>;
  }
  if (id !== undefined && typeof id !== 'string') return reject('id', 'expected_string');
  if (modelVersion !== undefined && typeof modelVersion !== 'string') return reject('model_version', 'expected_string');
  if (id !== undefined && exceedsBytes(id, bounds.maxIdBytes)) return reject('id', 'id_too_long');
  if (modelVersion !== undefined && exceedsBytes(modelVersion, bounds.maxModelVersionBytes)) {
    return reject('model_version', 'model_version_too_long');
  }
  record.id = id;
  record.modelVersion = modelVersion;
  if (timestamp !== undefined) {
    const ms = parseTimestamp(timestamp);
    if (ms === undefined) return reject('timestamp', 'invalid_timestamp');
    record.timestampMs = ms;
  }
  return { record };
}

function reject(field: string, reason: string): Validation {
  return { rejection: { field, reason } };
}

let lastDefaultLimits = DEFAULT_RECORD_LIMITS;

/** The default byte limits with `maxFeatures`: made once per number, not once per record. */
export function defaultLimitsWith(maxFeatures: number): RecordLimits {
  if (lastDefaultLimits.maxFeatures !== maxFeatures) lastDefaultLimits = { ...DEFAULT_RECORD_LIMITS, maxFeatures };
  return lastDefaultLimits;
}

/** RFC 3339 text or Unix epoch milliseconds. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const canonical = canonicalUtcMs(value);
  if (canonical !== undefined) return canonical;
  const match = RFC3339.exec(value);
  if (!match || !isCalendarDate(match)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Date.parse rolls 2024-02-31 over to March 2; RFC 3339 says such a date does not exist. */
function isCalendarDate(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return false;
  return hour <= 23 && minute <= 59 && second <= 59;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
