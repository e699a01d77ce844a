// Where the file source stopped in each file, kept under --storage.path so that a restart
// neither re-reads nor skips records. Written atomically (write, then rename).
import { readFileSync } from 'node:fs';
import { writeDurableSync } from '../../util/durable-write.ts';
import { join } from 'node:path';

export interface FilePosition {
  /** Bytes consumed (text files: up to the last complete line) or rows read (Parquet). */
  offset: number;
  /** Size (text) or row count (Parquet) when last seen: a smaller size means truncation. */
  size: number;
  /** Parquet: the file was read to its end. */
  done?: boolean;
}

export class PositionStore {
  readonly path: string;
  private positions: Record<string, FilePosition>;

  constructor(storagePath: string, sourceName: string) {
    this.path = join(storagePath, `file-source-${sourceName}.json`);
    try {
      this.positions = JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, FilePosition>;
    } catch {
      this.positions = {};
    }
  }

  get(file: string): FilePosition {
    return this.positions[file] ?? { offset: 0, size: 0 };
  }

  /** A copy of every position, for a snapshot's checkpoint. */
  all(): Record<string, FilePosition> {
    return structuredClone(this.positions);
  }

  /** Continue from a snapshot's checkpoint: its positions replace those on disk. */
  replaceAll(positions: Record<string, FilePosition>): void {
    this.positions = {};
    for (const [file, position] of Object.entries(positions)) this.set(file, position);
  }

  set(file: string, position: FilePosition): void {
    this.positions[file] = position;
    writeDurableSync(this.path, JSON.stringify(this.positions));
  }
}
