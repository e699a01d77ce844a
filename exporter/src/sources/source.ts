import type { ExporterState } from '../state.ts';

/**
 * A source of records. Each kind lives in its own file, reads on its own schedule (a scrape only
 * reads the state), and reports its health through the state: `sourceSucceeded` after a good read,
 * `sourceFailed(reason)` after a bad one. A failing source never throws out of its timer.
 */
export interface Source {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

export interface SourceContext {
  state: ExporterState;
  /** The writable `--storage.path` folder: positions and watermarks live here. */
  storagePath: string;
}
