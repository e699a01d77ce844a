// The TypeScript sources run through tsx (a dev dependency), for tests and development: a change
// needs no build. What users run (the bins, npm start, the image) is the built dist/ instead.

/** Runs `main(argv)` of `source` (relative to src/). */
export async function runSource(source) {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(new URL(`../src/${source}`, import.meta.url).href);
  process.exitCode = await main(process.argv.slice(2));
}
