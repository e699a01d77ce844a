// The file-system calls of a snapshot write (stream.ts writes it durably and atomically) and a
// failure classified by the reason it is counted under.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { fileSystemIo as durableIo, type DurableIo } from '../util/durable-write.ts';

/** What a streamed snapshot does with its temporary file: positioned writes and reads, fsync. */
export type SnapshotFile = Pick<FileHandle, 'write' | 'read' | 'sync' | 'close'>;

/** The file-system calls a snapshot write makes: tests replace them to inject faults (ENOSPC, EIO). */
export interface SnapshotIo extends DurableIo {
  /** Opens the temporary file `writeFile` created, for reading and writing; never through a link. */
  open(path: string): Promise<SnapshotFile>;
}

export const fileSystemIo: SnapshotIo = {
  ...durableIo,
  async open(path) {
    const handle = await open(path, constants.O_RDWR | constants.O_NOFOLLOW);
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new Error(`${path} is no longer a regular file`);
    }
    return handle;
  },
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
