// The new bytes of a growing text file (local or over HTTP with a Range request).
import { open, stat } from 'node:fs/promises';
import { isUrl } from './file-list.ts';

/** Reads at most this much per file and interval, so one huge file cannot stall the exporter. */
const MAX_READ_BYTES = 64 * 1024 * 1024;

/** The bytes after `offset` (at most MAX_READ_BYTES) and the file's current size. */
export async function readNewBytes(path: string, offset: number): Promise<{ bytes: Buffer; size: number }> {
  return isUrl(path) ? fetchFrom(path, offset) : readFrom(path, offset);
}

async function readFrom(path: string, offset: number): Promise<{ bytes: Buffer; size: number }> {
  const { size } = await stat(path);
  if (size <= offset) return { bytes: Buffer.alloc(0), size };
  const handle = await open(path, 'r');
  try {
    const length = Math.min(size - offset, MAX_READ_BYTES);
    const bytes = Buffer.alloc(length);
    const { bytesRead } = await handle.read(bytes, 0, length, offset);
    return { bytes: bytes.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

async function fetchFrom(url: string, offset: number): Promise<{ bytes: Buffer; size: number }> {
  const response = await fetch(url, { headers: { range: `bytes=${offset}-${offset + MAX_READ_BYTES - 1}` } });
  if (response.status === 416) return { bytes: Buffer.alloc(0), size: offset };
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status === 206) {
    const total = Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1] ?? offset + body.length);
    return { bytes: body, size: total };
  }
  // The server ignored the range: skip what was read before.
  return { bytes: body.subarray(Math.min(offset, body.length)), size: body.length };
}
