// The Parquet codecs hyparquet leaves to the caller, shared by the CLI's reader (read-table.ts) and
// the file source (file-parquet.ts), so that both read the same files.
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import type { Compressors } from 'hyparquet';

/** zstd (what Polars and DuckDB write by default) and gzip; hyparquet decodes snappy itself. */
export const PARQUET_COMPRESSORS: Compressors = {
  ZSTD: (input, outputLength) => zstdDecompress(input, new Uint8Array(outputLength)),
  GZIP: (input) => gunzipSync(input),
};
