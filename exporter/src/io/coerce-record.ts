// A record's feature values read as its model's reference profile types them, as `mlmon drift`
// reads the current file: numbers in text are numbers in a numeric feature, a categorical feature
// keeps each value's text, and the NA tokens are missing.
import type { Profile } from '../profile/types.ts';
import { asNumber, asText } from './cell.ts';
import type { Cell } from './read-table.ts';

export function coerceFeatures(features: Record<string, unknown>, profile: Profile): void {
  for (const name in features) {
    const feature = profile.features[name];
    const value = features[name];
    if (feature && isCell(value)) features[name] = feature.type === 'numeric' ? asNumber(value) : asText(value);
  }
}

export function coercePrediction(value: unknown, profile: Profile): unknown {
  const prediction = profile.prediction;
  if (!prediction || !isCell(value)) return value;
  return prediction.type === 'numeric' ? asNumber(value) : asText(value);
}

/** Nested objects and arrays are left alone: they are schema violations, reported as such. */
function isCell(value: unknown): value is Cell {
  return value === null || value === undefined || ['string', 'number', 'boolean'].includes(typeof value);
}
