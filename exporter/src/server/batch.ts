// What records and labels batches share: rejections counted and listed, and the answer's status
// (exporter/README.md: 200 when one item was accepted, 404 when none names a known model, else 400).
import type { Exporter } from '../exporter.ts';
import type { Rejection } from '../records/validate-record.ts';

/** At most this many rejections are listed in a response; all are counted. */
const MAX_LISTED_REJECTIONS = 100;

export class BatchOutcome {
  readonly rejected: Rejection[] = [];
  accepted = 0;
  namedKnownModel = false;

  constructor(private readonly state: Exporter) {}

  reject(index: number, field: string, reason: string): void {
    this.state.countRejected(reason);
    if (this.rejected.length < MAX_LISTED_REJECTIONS) this.rejected.push({ index, field, reason });
  }

  /** Notes whether an item names a configured model, whatever else is wrong with it. */
  sawModel(value: unknown): void {
    const model = (value as { model?: unknown } | null)?.model;
    if (typeof model === 'string' && this.state.models.has(model)) this.namedKnownModel = true;
  }

  answer<B extends object>(items: number, noun: 'record' | 'label', body: B) {
    const full = { accepted: this.accepted, ...body, rejected: this.rejected };
    if (this.accepted > 0) return { status: 200 as const, body: full };
    if (items === 0) return { status: 400 as const, body: { ...full, error: `the body holds no ${noun}s` } };
    if (!this.namedKnownModel) {
      return { status: 404 as const, body: { ...full, error: `no ${noun} names a known model` } };
    }
    return { status: 400 as const, body: { ...full, error: `no ${noun} was accepted` } };
  }
}
