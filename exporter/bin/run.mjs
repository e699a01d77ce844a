// Starts one of the package's programs. The npm package and the image ship the built JavaScript
// (dist/, with source maps); in a clone, where the TypeScript sources are beside it, the sources
// run directly through tsx (a dev dependency), so a change needs no build step.
import { existsSync } from 'node:fs';

/** Runs `main(argv)` of `source` (relative to src/) or, without sources, of `built` (in dist/). */
export async function run(source, built) {
  const sources = new URL(`../src/${source}`, import.meta.url);
  let main;
  if (existsSync(sources)) {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import(sources.href));
  } else {
    process.setSourceMapsEnabled(true);
    ({ main } = await import(new URL(`../dist/${built}`, import.meta.url).href));
  }
  process.exitCode = await main(process.argv.slice(2));
}
