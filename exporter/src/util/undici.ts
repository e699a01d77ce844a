// undici (the HTTP client of the probe and prometheus sources), loaded when such a source is built:
// it adds about 20 MiB of RSS to a process (its fetch, its WebAssembly HTTP parser), which an
// exporter with neither source should not carry. Synchronous (createRequire; undici is CommonJS),
// so a source's constructor can make its Agent.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

export function undici(): typeof Undici {
  return (loaded ??= createRequire(import.meta.url)('undici') as typeof Undici);
}
