// POST /api/v1/records: validates each record, counts the good ones, and answers as exporter/README.md ("Sending records") says.
import type { Exporter } from '../exporter.ts';
import type { BodyItem } from './parse-body.ts';
import { BatchOutcome } from './batch.ts';
import { validateRecord, type Rejection } from '../records/validate-record.ts';

export interface IngestResult {
  status: 200 | 400 | 404;
  body: { accepted: number; late: number; rejected: Rejection[]; error?: string };
}

export function ingestItems(
  state: Exporter,
  items: BodyItem[],
  options: { maxFeatures: number; now?: number },
): IngestResult {
  const now = options.now ?? Date.now();
  const outcome = new BatchOutcome(state);
  let late = 0;
  items.forEach((item, index) => {
    if (item.error) return outcome.reject(index, '', item.error);
    outcome.sawModel(item.value);
    const validation = validateRecord(item.value, options.maxFeatures);
    if ('rejection' in validation)
      return outcome.reject(index, validation.rejection.field, validation.rejection.reason);
    const entry = state.models.get(validation.record.model);
    if (!entry) return outcome.reject(index, 'model', 'unknown_model');
    if (entry.record(validation.record, now) === 'late') late++;
    outcome.accepted++;
  });
  return outcome.answer(items.length, 'record', { late });
}
