// Parquet rows in chunks, from a local file or an http(s) URL (range requests through hyparquet,
// so only the footer and the needed row groups travel).
import {
  asyncBufferFromFile,
  asyncBufferFromUrl,
  parquetMetadataAsync,
  parquetReadObjects,
  type AsyncBuffer,
} from 'hyparquet';
import { isUrl } from './file-list.ts';

export const PARQUET_CHUNK_ROWS = 50_000;

export async function openParquet(path: string): Promise<{ file: AsyncBuffer; rows: number }> {
  const file = isUrl(path) ? await asyncBufferFromUrl({ url: path }) : await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  return { file, rows: Number(metadata.num_rows) };
}

export async function readParquetRows(file: AsyncBuffer, rowStart: number, rowEnd: number) {
  return (await parquetReadObjects({ file, rowStart, rowEnd })) as Record<string, unknown>[];
}
