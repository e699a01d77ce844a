// Atomic write of a snapshot: write a temporary file beside the target, fsync it, rename it over
// the target, fsync the folder. A crash at any point leaves either the old snapshot or the new
// one, never a mixture; a failed write removes its temporary file (it may be filling a disk).
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createExclusive } from './safe-file.ts';

/** The file-system calls a snapshot write makes: tests replace them to inject faults (ENOSPC, EIO). */
export interface SnapshotIo {
  /** Creates `path` anew (never through a link), writes `parts` in order, fsyncs and closes it. */
  writeFile(path: string, parts: readonly Uint8Array[]): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** fsync of a folder, so that a rename in it is durable. */
  syncDir(path: string): Promise<void>;
  remove(path: string): Promise<void>;
  makeDir(path: string): Promise<void>;
}

export const fileSystemIo: SnapshotIo = {
  async writeFile(path, parts) {
    const handle = await createExclusive(path);
    try {
      for (const part of parts) {
        let written = 0;
        while (written < part.byteLength) {
          const { bytesWritten } = await handle.write(part, written, part.byteLength - written);
          written += bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => rename(from, to),
  async syncDir(path) {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  remove: (path) => rm(path, { force: true }),
  makeDir: async (path) => void (await mkdir(path, { recursive: true })),
};

/** Why a snapshot could not be written (bounded: the `reason` label of the failures). */
export type WriteFailure = 'no_space' | 'not_writable' | 'io';
export const WRITE_FAILURES: readonly WriteFailure[] = ['no_space', 'not_writable', 'io'];

export class SnapshotWriteError extends Error {
  constructor(
    readonly reason: WriteFailure,
    message: string,
  ) {
    super(message);
  }
}

export function writeFailureOf(err: unknown): WriteFailure {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return 'no_space';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'EISDIR':
    case 'ENOTDIR':
    case 'ENOENT':
    case 'EEXIST':
    case 'ENOTEMPTY':
    case 'EBUSY':
    case 'ELOOP':
      return 'not_writable';
    default:
      return 'io';
  }
}

/** Writes `parts` to `target` atomically; a SnapshotWriteError says why it could not. */
export async function writeAtomic(target: string, parts: readonly Uint8Array[], io: SnapshotIo = fileSystemIo) {
  const folder = dirname(target);
  const temporary = `${target}.tmp`;
  try {
    await io.makeDir(folder); // the folder may have been removed under the running exporter
    await io.writeFile(temporary, parts);
    await io.rename(temporary, target);
    await io.syncDir(folder);
  } catch (err) {
    await io.remove(temporary).catch(() => undefined);
    throw new SnapshotWriteError(writeFailureOf(err), (err as Error).message);
  }
}
