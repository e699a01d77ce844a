// POST /api/v1/labels: delayed ground truth joined to earlier predictions by id.
import type { ExporterState } from '../state.ts';
import type { BodyItem } from './parse-body.ts';
import type { Rejection } from './validate-record.ts';
import { validateLabel } from './validate-label.ts';

export interface LabelIngestResult {
  status: 200 | 400 | 404;
  body: { accepted: number; joined: number; unmatched: number; rejected: Rejection[]; error?: string };
}

const MAX_LISTED_REJECTIONS = 100;

export function ingestLabels(state: ExporterState, items: BodyItem[], now = Date.now()): LabelIngestResult {
  const rejected: Rejection[] = [];
  let accepted = 0;
  let joined = 0;
  let namedKnownModel = false;
  const rejectAt = (index: number, field: string, reason: string) => {
    state.countRejected(reason);
    if (rejected.length < MAX_LISTED_REJECTIONS) rejected.push({ index, field, reason });
  };
  items.forEach((item, index) => {
    if (item.error) return rejectAt(index, '', item.error);
    const validation = validateLabel(item.value);
    const model = (item.value as { model?: unknown } | null)?.model;
    if (typeof model === 'string' && state.models.has(model)) namedKnownModel = true;
    if ('rejection' in validation) return rejectAt(index, validation.rejection.field, validation.rejection.reason);
    const outcome = state.receiveLabel(validation.model, validation.label, now);
    if (outcome === 'unknown_model') return rejectAt(index, 'model', 'unknown_model');
    accepted++;
    if (outcome === 'joined') joined++;
  });
  const body = { accepted, joined, unmatched: accepted - joined, rejected };
  if (accepted > 0) return { status: 200, body };
  if (items.length === 0) return { status: 400, body: { ...body, error: 'the body holds no labels' } };
  if (!namedKnownModel) return { status: 404, body: { ...body, error: 'no label names a known model' } };
  return { status: 400, body: { ...body, error: 'no label was accepted' } };
}
