import type { Exposition } from '../metrics/exposition.ts';
import type { SourceHealth } from '../exporter.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { ModelEntry } from '../model-entry.ts';
import type { LabelOutcome, LabelRecord } from '../performance/labels.ts';

/**
 * A source of records. Each kind lives in its own file, reads on its own schedule (a scrape only
 * reads the state), and reports its health through its sink: `sourceSucceeded` after a good read,
 * `sourceFailed(reason)` after a bad one. A failing source never throws out of its timer.
 */
export interface Source {
  readonly name: string;
  /** The model the source feeds, when it feeds one. */
  readonly model?: string;
  start(): void;
  stop(): Promise<void>;
  /**
   * Durable sources (files, databases): where the source stands, taken in the same turn of the
   * event loop as a snapshot of the windows, so that both are restored together after a crash.
   */
  checkpoint?(): unknown;
  /**
   * A kind that exports families of its own writes this source's samples here; the source
   * registers it with `state.metrics` when built and removes it when stopped.
   */
  collect?(out: Exposition, now: number): void;
  /** Continue from a checkpoint of a restored snapshot instead of the source's own position file. */
  resume?(checkpoint: unknown): void;
}

/** What a source may do with a model: count records and labels, or (aggregates) reach its windows. */
export type SinkModel = Pick<
  ModelEntry,
  | 'record'
  | 'recordValues'
  | 'receiveLabel'
  | 'windows'
  | 'segments'
  | 'observesBarePredictions'
  | 'observeBarePrediction'
> & {
  /** How long a prediction waits for its label (a label source's default look-back). */
  readonly joinBuffer: { readonly maxDelayMs: number };
};

/**
 * What a source sees of the exporter: the models it feeds, rejections, its own health and the
 * metrics registry for families of its own. Validate first (src/records/), then call these.
 */
export interface SourceSink {
  model(name: string): SinkModel | undefined;
  receiveLabel(model: string, label: LabelRecord, now?: number): LabelOutcome | 'unknown_model';
  countRejected(reason: string, amount?: number): void;
  source(name: string): SourceHealth;
  sourceSucceeded(name: string, report?: { durationMs?: number; records?: number }, now?: number): void;
  sourceFailed(name: string, reason: string, report?: { durationMs?: number; records?: number }): void;
  sourceError(name: string, reason: string): void;
  readonly metrics: Pick<MetricsRegistry, 'register'>;
}

export interface SourceContext {
  sink: SourceSink;
  /** The writable `--storage.path` folder: positions and watermarks live here. */
  storagePath: string;
}
