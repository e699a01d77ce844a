// The running exporter: its models, the process-wide counters and source health, the metrics
// registry. Sources write to it through their sink, the collectors read it at scrape time.
import { MetricsRegistry } from './metrics/registry.ts';
import type { Source } from './sources/source.ts';
import type { LabelOutcome, LabelRecord } from './performance/labels.ts';
import type { ModelEntry } from './model-entry.ts';

export interface SourceHealth {
  up: boolean;
  lastSuccessMs: number;
  /** Duration of the last read, when the source reads on a schedule. */
  lastReadSeconds: number;
  recordsRead: number;
  /** Errors by reason since start. */
  errors: Map<string, number>;
}

export interface ReadReport {
  durationMs?: number;
  records?: number;
}

export class Exporter {
  readonly models = new Map<string, ModelEntry>();
  /** Rejected records by reason. */
  readonly rejected = new Map<string, number>();
  /** Ingest HTTP answers by status code. */
  readonly ingestResponses = new Map<string, number>();
  readonly sources = new Map<string, SourceHealth>();
  /** The collectors of /metrics; a reload keeps them (the sources' own come from `runningSources`). */
  readonly metrics = new MetricsRegistry();
  /** The sources running now (replaced by a reload): snapshots take their checkpoints. */
  runningSources: Source[] = [];
  ready = false;
  /** Outcome of the last config load or reload (the initial load counts as one). */
  lastReload = { successful: true, successMs: Date.now() };

  /** The configured model of that name (what sources feed through their sink). */
  model(name: string): ModelEntry | undefined {
    return this.models.get(name);
  }

  /** A delayed label for a model's earlier prediction (HTTP, file or database sources). */
  receiveLabel(model: string, label: LabelRecord, now = Date.now()): LabelOutcome | 'unknown_model' {
    return this.models.get(model)?.receiveLabel(label, now) ?? 'unknown_model';
  }

  countRejected(reason: string, amount = 1): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + amount);
  }

  countResponse(code: number): void {
    const key = String(code);
    this.ingestResponses.set(key, (this.ingestResponses.get(key) ?? 0) + 1);
  }

  source(name: string): SourceHealth {
    let health = this.sources.get(name);
    if (!health) {
      health = { up: false, lastSuccessMs: NaN, lastReadSeconds: NaN, recordsRead: 0, errors: new Map() };
      this.sources.set(name, health);
    }
    return health;
  }

  sourceSucceeded(name: string, report: ReadReport = {}, now = Date.now()): void {
    const health = this.source(name);
    health.up = true;
    health.lastSuccessMs = now;
    if (report.durationMs !== undefined) health.lastReadSeconds = report.durationMs / 1000;
    health.recordsRead += report.records ?? 0;
  }

  /** An error that says nothing of the source's own health (a client's bad request): counted only. */
  sourceError(name: string, reason: string): void {
    const errors = this.source(name).errors;
    errors.set(reason, (errors.get(reason) ?? 0) + 1);
  }

  /** A failure marks the source down and is counted by reason; it never stops the exporter. */
  sourceFailed(name: string, reason: string, report: ReadReport = {}): void {
    const health = this.source(name);
    health.up = false;
    health.errors.set(reason, (health.errors.get(reason) ?? 0) + 1);
    if (report.durationMs !== undefined) health.lastReadSeconds = report.durationMs / 1000;
    health.recordsRead += report.records ?? 0;
  }
}
