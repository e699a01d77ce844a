// Compressed data files: gzip and zstd, recognised by their magic bytes whatever the file's name
// (`.csv.gz`, `.jsonl.zst`, or a compressed file without the extension).
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';

export type Compression = 'gzip' | 'zstd' | undefined;

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

export function compressionOf(bytes: Uint8Array): Compression {
  if (GZIP.every((b, i) => bytes[i] === b)) return 'gzip';
  if (ZSTD.every((b, i) => bytes[i] === b)) return 'zstd';
  return undefined;
}

/** The file name without a compression suffix, to tell the format from what is left. */
export function withoutCompressionSuffix(path: string): string {
  return path.replace(/\.(gz|gzip|zst|zstd)$/i, '');
}

/** The bytes themselves when uncompressed; throws with the cause when the stream is corrupt. */
export function decompress(bytes: Buffer): Buffer {
  const compression = compressionOf(bytes);
  if (compression === 'gzip') return gunzipSync(bytes);
  if (compression === 'zstd') {
    const out = zstdDecompress(bytes);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }
  return bytes;
}
