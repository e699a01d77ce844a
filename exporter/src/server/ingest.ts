// POST /api/v1/records: validates each record, counts the good ones, and answers as DESIGN.md says.
import { observePrediction } from '../performance/labels.ts';
import type { ExporterState } from '../state.ts';
import type { BodyItem } from './parse-body.ts';
import { validateRecord, type Rejection } from './validate-record.ts';

export interface IngestResult {
  status: 200 | 400 | 404;
  body: { accepted: number; late: number; rejected: Rejection[]; error?: string };
}

/** At most this many rejections are listed in a response; all are counted. */
const MAX_LISTED_REJECTIONS = 100;

export function ingestItems(
  state: ExporterState,
  items: BodyItem[],
  options: { maxFeatures: number; now?: number },
): IngestResult {
  const now = options.now ?? Date.now();
  const rejected: Rejection[] = [];
  let accepted = 0;
  let late = 0;
  let namedKnownModel = false;
  const rejectAt = (index: number, field: string, reason: string) => {
    state.countRejected(reason);
    if (rejected.length < MAX_LISTED_REJECTIONS) rejected.push({ index, field, reason });
  };

  items.forEach((item, index) => {
    if (item.error) return rejectAt(index, '', item.error);
    const validation = validateRecord(item.value, options.maxFeatures);
    const model = (item.value as { model?: unknown } | null)?.model;
    const entry = typeof model === 'string' ? state.models.get(model) : undefined;
    if (entry) namedKnownModel = true;
    if ('rejection' in validation) return rejectAt(index, validation.rejection.field, validation.rejection.reason);
    if (!entry) return rejectAt(index, 'model', 'unknown_model');
    if (entry.state.ingest(validation.record, now) === 'late') late++;
    else observePrediction(entry, validation.record, now);
    accepted++;
  });

  const body = { accepted, late, rejected };
  if (accepted > 0) return { status: 200, body };
  if (items.length === 0) return { status: 400, body: { ...body, error: 'the body holds no records' } };
  if (!namedKnownModel) return { status: 404, body: { ...body, error: 'no record names a known model' } };
  return { status: 400, body: { ...body, error: 'no record was accepted' } };
}
