// Durable, atomic file writes: write a temporary file beside the target, fsync it, rename it
// over the target, fsync the folder. A crash at any point leaves either the old file or the new
// one, never a mixture; a failed write removes its temporary file (it may be filling a disk).
// Used by the snapshot (async, with injectable file-system calls for fault tests) and by the
// sources' positions and watermarks (sync: they move in the same step as the counts they cover).
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file-system calls a durable write makes: tests replace them to inject faults (ENOSPC, EIO). */
export interface DurableIo {
  /** Creates or truncates `path`, writes `parts` in order, fsyncs and closes it. */
  writeFile(path: string, parts: readonly Uint8Array[]): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** fsync of a folder, so that a rename in it is durable. */
  syncDir(path: string): Promise<void>;
  remove(path: string): Promise<void>;
  makeDir(path: string): Promise<void>;
}

export const fileSystemIo: DurableIo = {
  async writeFile(path, parts) {
    const handle = await open(path, 'w', 0o644);
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

/** Writes `parts` to `target` durably and atomically; the file system's error when it cannot. */
export async function writeDurable(target: string, parts: readonly Uint8Array[], io: DurableIo = fileSystemIo) {
  const folder = dirname(target);
  const temporary = `${target}.tmp`;
  try {
    await io.makeDir(folder); // the folder may have been removed under the running exporter
    await io.writeFile(temporary, parts);
    await io.rename(temporary, target);
    await io.syncDir(folder);
  } catch (err) {
    await io.remove(temporary).catch(() => undefined);
    throw err;
  }
}

/** The same, synchronously, for a small text file. */
export function writeDurableSync(target: string, text: string): void {
  const folder = dirname(target);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(folder, { recursive: true });
    const file = openSync(temporary, 'w', 0o644);
    try {
      writeSync(file, text);
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
    renameSync(temporary, target);
    const dir = openSync(folder, 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}
