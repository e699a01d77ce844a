// Starts one of the package's programs: the built JavaScript of dist/ (esbuild, see
// scripts/build.mjs), with its source maps on so that stack traces name the TypeScript sources.
// In a clone, `npm start` builds dist/ when it is missing or stale (`npm run build -w exporter`
// builds it by hand); tests and development run the sources through tsx (scripts/dev-*.mjs).

/** Runs `main(argv)` of `built` (a file of dist/). */
export async function run(built) {
  process.setSourceMapsEnabled(true); // what --enable-source-maps does, for modules loaded from here on
  const url = new URL(`../dist/${built}`, import.meta.url);
  let main;
  try {
    ({ main } = await import(url.href));
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes(url.pathname)) throw err;
    console.error(`${url.pathname} is missing: build it with \`npm run build -w exporter\` (npm start builds it too)`);
    process.exitCode = 2;
    return;
  }
  process.exitCode = await main(process.argv.slice(2));
}
