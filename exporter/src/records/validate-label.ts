// Checks one label record {model, id, label, timestamp?} of POST /api/v1/labels.
import type { LabelRecord } from '../performance/labels.ts';
import { parseTimestamp } from './validate-record.ts';

const FIELDS = new Set(['model', 'id', 'label', 'timestamp']);

export type LabelValidation = { model: string; label: LabelRecord } | { rejection: { field: string; reason: string } };

export function validateLabel(value: unknown): LabelValidation {
  const reject = (field: string, reason: string): LabelValidation => ({ rejection: { field, reason } });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return reject('', 'not_an_object');
  const raw = value as Record<string, unknown>;
  for (const key in raw) if (!FIELDS.has(key)) return reject(key, 'unknown_field');
  if (raw.model === undefined) return reject('model', 'missing');
  if (typeof raw.model !== 'string') return reject('model', 'expected_string');
  if (raw.id === undefined) return reject('id', 'missing');
  if (typeof raw.id !== 'string') return reject('id', 'expected_string');
  if (raw.label === undefined || raw.label === null) return reject('label', 'missing');
  if (typeof raw.label !== 'number' && typeof raw.label !== 'string')
    return reject('label', 'expected_number_or_string');
  const label: LabelRecord = { id: raw.id, label: raw.label };
  if (raw.timestamp !== undefined) {
    const ms = parseTimestamp(raw.timestamp);
    if (ms === undefined) return reject('timestamp', 'invalid_timestamp');
    label.timestampMs = ms;
  }
  return { model: raw.model, label };
}
