// POST /api/v1/labels: delayed ground truth joined to earlier predictions by id.
import type { Exporter } from '../exporter.ts';
import type { BodyItem } from './parse-body.ts';
import type { Rejection } from '../records/validate-record.ts';
import { BatchOutcome } from './batch.ts';
import { validateLabel } from '../records/validate-label.ts';

export interface LabelIngestResult {
  status: 200 | 400 | 404;
  body: { accepted: number; joined: number; unmatched: number; rejected: Rejection[]; error?: string };
}

export function ingestLabels(state: Exporter, items: BodyItem[], now = Date.now()): LabelIngestResult {
  const outcome = new BatchOutcome(state);
  let joined = 0;
  items.forEach((item, index) => {
    if (item.error) return outcome.reject(index, '', item.error);
    outcome.sawModel(item.value);
    const validation = validateLabel(item.value);
    if ('rejection' in validation)
      return outcome.reject(index, validation.rejection.field, validation.rejection.reason);
    const result = state.receiveLabel(validation.model, validation.label, now);
    if (result === 'unknown_model') return outcome.reject(index, 'model', 'unknown_model');
    outcome.accepted++;
    if (result === 'joined') joined++;
  });
  return outcome.answer(items.length, 'label', { joined, unmatched: outcome.accepted - joined });
}
