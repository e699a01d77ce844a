// The embedded default source: generates demo traffic straight into the model state.
import type { DemoConfig } from '../config/schema.ts';
import type { SourceSink } from './source.ts';
import { parseDuration } from '../util/duration.ts';
import { Random } from '../util/random.ts';
import { DEMO_MODEL, demoRow } from './demo-traffic.ts';
import type { Source } from './source.ts';

const TICK_MS = 100;

export class DemoSource implements Source {
  readonly name = 'demo';
  private timer?: NodeJS.Timeout;
  private readonly random: Random;
  private readonly startedAt = Date.now();
  private carry = 0;
  private sequence = 0;
  /** Labels not yet due, oldest first: at most rate × delay / 2 entries. */
  private readonly pendingLabels: { dueMs: number; id: string; label: string }[] = [];

  constructor(
    private readonly sink: SourceSink,
    private readonly config: DemoConfig,
  ) {
    // A different stream from the reference's, from the same generator.
    this.random = new Random(config.seed + 1);
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
  }

  private tick(): void {
    const entry = this.sink.model(DEMO_MODEL);
    if (!entry) return this.sink.sourceFailed(this.name, 'model_missing');
    const now = Date.now();
    const drifted = now - this.startedAt >= parseDuration(this.config.drift_after)!;
    this.carry += (this.config.records_per_second * TICK_MS) / 1000;
    for (; this.carry >= 1; this.carry--) {
      const { prediction, truth, ...features } = demoRow(this.random, drifted);
      // Half of the predictions get a label later; only those carry an id to join on.
      const labelled = this.random.next() < 0.5;
      const id = labelled ? `demo-${++this.sequence}` : undefined;
      const record = { model: DEMO_MODEL, features, prediction, id, timestampMs: now, modelVersion: 'v1' };
      entry.record(record, now);
      if (id)
        this.pendingLabels.push({
          dueMs: now + parseDuration(this.config.label_delay)!,
          id,
          label: this.random.next() < truth ? '1' : '0',
        });
    }
    while (this.pendingLabels.length > 0 && this.pendingLabels[0].dueMs <= now) {
      const { id, label } = this.pendingLabels.shift()!;
      this.sink.receiveLabel(DEMO_MODEL, { id, label }, now);
    }
    this.sink.sourceSucceeded(
      this.name,
      { records: Math.floor((this.config.records_per_second * TICK_MS) / 1000) },
      now,
    );
  }
}
