// Takes a snapshot of the window state every interval (and once more at shutdown), one at a time,
// and keeps what the metrics report: the last success, its duration and size, failures by reason.
import { join } from 'node:path';
import type { Exporter } from '../exporter.ts';
import type { ModelEntry } from '../model-entry.ts';
import { RESTORE_FAILURES, type RestoreFailure } from './format.ts';
import { SNAPSHOT_FILE, type RestoreReport } from './restore.ts';
import { writeStreamedSnapshot } from './stream.ts';
import { fileSystemIo, SnapshotWriteError, WRITE_FAILURES, type SnapshotIo } from './write.ts';

export const DEFAULT_SNAPSHOT_INTERVAL = '30s';

export interface SnapshotOptions {
  /** The `--storage.path` folder. */
  dir: string;
  intervalMs: number;
  io?: SnapshotIo;
  log?: (line: string) => void;
}

export class SnapshotStatus {
  /** 0 before the first success. */
  lastSuccessMs = 0;
  lastDurationSeconds = 0;
  lastSizeBytes = 0;
  readonly failures = new Map<string, number>(WRITE_FAILURES.map((reason) => [reason, 0]));
  readonly restoreFailures = new Map<RestoreFailure, number>(RESTORE_FAILURES.map((reason) => [reason, 0]));
  /** Entries whose windows came from the snapshot at start (a reload that rebuilds a model drops it). */
  readonly restored = new WeakSet<ModelEntry>();

  recordRestore(report: RestoreReport, models: Exporter['models']): void {
    for (const failure of report.failures) {
      this.restoreFailures.set(failure.reason, (this.restoreFailures.get(failure.reason) ?? 0) + 1);
    }
    for (const name of report.restored) {
      const entry = models.get(name);
      if (entry) this.restored.add(entry);
    }
  }
}

export class SnapshotScheduler {
  readonly status = new SnapshotStatus();
  readonly path: string;
  private timer?: NodeJS.Timeout;
  private running: Promise<boolean> = Promise.resolve(true);
  /** The reason of the failure in force, to log once per change of trouble. */
  private trouble?: string;
  private readonly io: SnapshotIo;
  private readonly log: (line: string) => void;

  constructor(
    private readonly state: Exporter,
    private readonly options: SnapshotOptions,
  ) {
    this.path = join(options.dir, SNAPSHOT_FILE);
    this.io = options.io ?? fileSystemIo;
    this.log = options.log ?? ((line) => console.error(line));
  }

  /** Snapshots every interval; a snapshot still being written when the next is due is not doubled. */
  start(): void {
    this.stop();
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void this.snapshot().finally(() => (busy = false));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes a snapshot after any one under way; true when it was written. Never throws. */
  snapshot(): Promise<boolean> {
    this.running = this.running.then(() => this.takeOne());
    return this.running;
  }

  private async takeOne(): Promise<boolean> {
    const started = performance.now();
    try {
      const written = await writeStreamedSnapshot(this.path, this.state.models, this.state.runningSources, this.io);
      this.status.lastSuccessMs = Date.now();
      this.status.lastDurationSeconds = (performance.now() - started) / 1000;
      this.status.lastSizeBytes = written.bytes;
      if (this.trouble !== undefined) this.log(`mlmon-exporter: snapshot: written again to ${this.path}`);
      this.trouble = undefined;
      return true;
    } catch (err) {
      const reason = err instanceof SnapshotWriteError ? err.reason : 'io';
      const failures = this.status.failures;
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
      this.status.lastDurationSeconds = (performance.now() - started) / 1000;
      if (this.trouble !== reason) {
        this.log(`mlmon-exporter: snapshot: ${reason}: cannot write ${this.path}: ${(err as Error).message}`);
      }
      this.trouble = reason;
      return false;
    }
  }
}
