// Rows of an inference log → the ingest record format. A JSONL line may already be a record
// ({model?, features, prediction, …}); a flat row (every CSV row) has the record's fields as
// columns and every other column is a feature.
import { RESERVED_COLUMNS } from '../../profile/infer.ts';

export function rowToRecord(row: Record<string, unknown>, model: string): Record<string, unknown> {
  if (row.features !== null && typeof row.features === 'object' && !Array.isArray(row.features)) {
    return { model, ...row };
  }
  const record: Record<string, unknown> = { model };
  const features: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined || value === '') {
      if (!RESERVED_COLUMNS.has(key)) features[key] = null;
    } else if (RESERVED_COLUMNS.has(key)) record[key] = value;
    else features[key] = value;
  }
  record.features = features;
  if (typeof record.id === 'number') record.id = String(record.id);
  if (typeof record.scores === 'string') record.scores = tryJson(record.scores);
  return record;
}

/** The JSON value a text spells, or the text itself. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
