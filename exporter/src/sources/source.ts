import type { Exposition } from '../metrics/exposition.ts';
import type { Exporter } from '../exporter.ts';

/**
 * A source of records. Each kind lives in its own file, reads on its own schedule (a scrape only
 * reads the state), and reports its health through the state: `sourceSucceeded` after a good read,
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

export interface SourceContext {
  state: Exporter;
  /** The writable `--storage.path` folder: positions and watermarks live here. */
  storagePath: string;
}
