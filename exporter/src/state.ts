// The exporter's live state: the models and the process-wide counters. Sources write to it,
// the collectors read it at scrape time.
import type { DriftOptions } from './report/drift-options.ts';
import type { ModelState } from './window/model-state.ts';

export interface ModelEntry {
  state: ModelState;
  drift: DriftOptions;
  driftShare: number;
}

export interface SourceHealth {
  up: boolean;
  lastSuccessMs: number;
}

export class ExporterState {
  readonly models = new Map<string, ModelEntry>();
  /** Rejected records by reason. */
  readonly rejected = new Map<string, number>();
  /** Ingest HTTP answers by status code. */
  readonly ingestResponses = new Map<string, number>();
  readonly sources = new Map<string, SourceHealth>();
  ready = false;

  countRejected(reason: string, amount = 1): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + amount);
  }

  countResponse(code: number): void {
    const key = String(code);
    this.ingestResponses.set(key, (this.ingestResponses.get(key) ?? 0) + 1);
  }

  sourceSucceeded(name: string, now = Date.now()): void {
    this.sources.set(name, { up: true, lastSuccessMs: now });
  }

  sourceFailed(name: string): void {
    const previous = this.sources.get(name);
    this.sources.set(name, { up: false, lastSuccessMs: previous?.lastSuccessMs ?? NaN });
  }
}
