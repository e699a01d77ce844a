// Notices that files changed (inode, size, mtime), checking at most once per interval, so callers
// on a hot path (every TLS connection, every ingest request) can ask cheaply.
import { statSync } from 'node:fs';

function stampOf(path: string): string {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

export class FileStamps {
  private last: string;
  private checkedAt = 0;

  constructor(
    private readonly paths: string[],
    private readonly intervalMs = 1000,
  ) {
    this.last = this.current();
  }

  private current(): string {
    return this.paths.map(stampOf).join('|');
  }

  /**
   * True once after the files changed (compared with the last time this returned true, or the
   * start). Stats the files at most once per interval.
   */
  changed(now = Date.now()): boolean {
    if (this.paths.length === 0 || now - this.checkedAt < this.intervalMs) return false;
    this.checkedAt = now;
    const stamp = this.current();
    if (stamp === this.last) return false;
    this.last = stamp;
    return true;
  }
}
