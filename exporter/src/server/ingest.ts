// POST /api/v1/records: validates each record, counts the good ones, and answers as exporter/README.md ("Sending records") says.
import type { Exporter } from '../exporter.ts';
import type { BodyItem, NdjsonBody } from './parse-body.ts';
import { STEP_CHECK_ITEMS, StepBudget, type RecordLimits } from './limits.ts';
import { BatchOutcome } from './batch.ts';
import { validateRecord, type Rejection } from '../records/validate-record.ts';

export interface IngestResult {
  status: 200 | 400 | 404;
  body: { accepted: number; late: number; rejected: Rejection[]; error?: string };
}

type IngestOptions = { maxFeatures: number; limits?: RecordLimits; now?: number };

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
  let items = 0;
  await body.forEachItem((item) => run.add(item, items++));
  return run.answer(items);
}

class IngestRun {
  private readonly now: number;
  private readonly outcome: BatchOutcome;
  private late = 0;

  constructor(
    private readonly state: Exporter,
    private readonly options: IngestOptions,
  ) {
    this.now = options.now ?? Date.now();
    this.outcome = new BatchOutcome(state);
  }

  /** Counts `item`, item `index` of the request. */
  add(item: BodyItem, index: number): void {
    const { state, outcome, now } = this;
    if (item.error) return outcome.reject(index, '', item.error);
    outcome.sawModel(item.value);
    const validation = validateRecord(item.value, this.options.limits ?? this.options.maxFeatures);
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
