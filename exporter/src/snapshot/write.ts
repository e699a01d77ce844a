// Writing a snapshot: durably and atomically (util/durable-write.ts), a failure classified by
// the reason it is counted under.
import { fileSystemIo, writeDurable, type DurableIo } from '../util/durable-write.ts';

/** The file-system calls a snapshot write makes: tests replace them to inject faults (ENOSPC, EIO). */
export type SnapshotIo = DurableIo;
export { fileSystemIo };

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
  try {
    await writeDurable(target, parts, io);
  } catch (err) {
    throw new SnapshotWriteError(writeFailureOf(err), (err as Error).message);
  }
}
