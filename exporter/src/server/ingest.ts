// POST /api/v1/records: validates each record, counts the good ones, and answers as exporter/README.md ("Sending records") says.
import type { Exporter } from '../exporter.ts';
import type { BodyItem, NdjsonBody } from './parse-body.ts';
import { STEP_CHECK_ITEMS, StepBudget, type RecordLimits } from './limits.ts';
import { BatchOutcome } from './batch.ts';
import { defaultLimitsWith, validateRecord, type Rejection } from '../records/validate-record.ts';
import { FastRecords } from './fast-records.ts';

export interface IngestResult {
  status: 200 | 400 | 404;
  body: { accepted: number; late: number; rejected: Rejection[]; error?: string };
}

type IngestOptions = {
  maxFeatures: number;
  limits?: RecordLimits;
  now?: number;
  /** false: every NDJSON line through JSON.parse and validateRecord (the fast path's reference, in tests). */
  fastPath?: boolean;
};

export function ingestItems(state: Exporter, items: BodyItem[], options: IngestOptions): IngestResult {
  const run = new IngestRun(state, options);
  for (let at = 0; at < items.length; at++) run.add(items[at], at);
  return run.answer(items.length);
}

/**
 * ingestItems with a yield to the event loop every few milliseconds (StepBudget), so that a batch
 * of 100,000 records, or several at once, never holds a scrape for their whole time.
 */
export async function ingestItemsInSteps(
  state: Exporter,
  items: BodyItem[],
  options: IngestOptions,
): Promise<IngestResult> {
  const run = new IngestRun(state, options);
  const budget = new StepBudget();
  for (let at = 0; at < items.length; at++) {
    if (at % STEP_CHECK_ITEMS === 0 && budget.due()) await budget.yield();
    run.add(items[at], at);
  }
  return run.answer(items.length);
}

/** An NDJSON body, each line parsed and counted before the next is read (NdjsonBody). */
export async function ingestNdjsonInSteps(
  state: Exporter,
  body: NdjsonBody,
  options: IngestOptions,
): Promise<IngestResult> {
  const run = new IngestRun(state, options);
  // Flat records are read from the bytes and counted by FastRecords; the others as before.
  const fast = options.fastPath === false || body.maxDepth < 2 ? undefined : new FastRecords(state, run, run.limits);
  const items = await body.forEachItem(
    (item, index) => run.add(item, index),
    fast && ((bytes, start, end) => fast.take(bytes, start, end)),
  );
  return run.answer(items);
}

export class IngestRun {
  readonly now: number;
  readonly outcome: BatchOutcome;
  /** The limits every record of the request is validated against, resolved once. */
  readonly limits: RecordLimits;
  late = 0;

  constructor(
    private readonly state: Exporter,
    options: IngestOptions,
  ) {
    this.now = options.now ?? Date.now();
    this.outcome = new BatchOutcome(state);
    this.limits = options.limits ?? defaultLimitsWith(options.maxFeatures);
  }

  /** Counts `item`, item `index` of the request. */
  add(item: BodyItem, index: number): void {
    const { state, outcome, now } = this;
    if (item.error) return outcome.reject(index, '', item.error);
    outcome.sawModel(item.value);
    const validation = validateRecord(item.value, this.limits);
    if ('rejection' in validation)
      return outcome.reject(index, validation.rejection.field, validation.rejection.reason);
    const entry = state.models.get(validation.record.model);
    if (!entry) return outcome.reject(index, 'model', 'unknown_model');
    if (entry.record(validation.record, now) === 'late') this.late++;
    outcome.accepted++;
  }

  answer(items: number): IngestResult {
    return this.outcome.answer(items, 'record', { late: this.late });
  }
}
