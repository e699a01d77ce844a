// Files of --storage.path opened so that nothing planted there can redirect or stall the exporter:
// a temporary file is created new (O_EXCL) and never through a symbolic link (O_NOFOLLOW), so a
// link at its name cannot make a write land outside the folder; a file is read only when it is a
// regular file (not a FIFO that blocks, not /dev/zero that never ends) no larger than a limit.
import { constants, fstatSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_NONBLOCK } = constants;

/** A new file at `path` for writing; whatever is at that name already (a stale temp file, a link) is removed first. */
export async function createExclusive(path: string, mode = 0o644): Promise<FileHandle> {
  await rm(path, { force: true }); // unlinks a link itself, never its target
  return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
}

/** createExclusive, synchronously: a file descriptor. */
export function createExclusiveSync(path: string, mode = 0o644): number {
  rmSync(path, { force: true });
  return openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
}

export class UnsafeFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/**
 * The regular file at `path`, open for reading (a file descriptor the caller closes), and its size,
 * at most `maxBytes`. A link, a FIFO, a device or a folder is refused (UnsafeFileError), as is a
 * larger file; ENOENT and other errors are thrown as they are.
 */
export function openRegularFile(path: string, maxBytes: number): { fd: number; size: number } {
  // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new UnsafeFileError(path, 'is a symbolic link');
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UnsafeFileError(path, 'is not a regular file');
    if (stat.size > maxBytes) throw new UnsafeFileError(path, `${stat.size} bytes, more than the ${maxBytes} allowed`);
    return { fd, size: stat.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** `length` bytes of `fd` from `position` into `out` (fewer at the end of the file); the count read. */
export function readAt(fd: number, out: Uint8Array, length: number, position: number): number {
  let read = 0;
  while (read < length) {
    const n = readSync(fd, out, read, length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return read;
}
