// Node.js flags the exporter runs with wherever this repository starts it: `npm start`, the
// image's ENTRYPOINT (exporter/Dockerfile, held equal by deploy/test/dockerfile.test.ts) and the
// benchmarks. README "Memory" says why; an npm install gets them through NODE_OPTIONS.
//  --enable-source-maps      stack traces name the TypeScript sources (bin/run.mjs turns the
//                            same on for the modules it loads, so plain `node bin/…` has it too)
//  --max-semi-space-size=4   caps V8's young generation at 2 × 4 MiB: the default lets it grow
//                            to 2 × 16 MiB, mostly empty but resident, a third of an idle
//                            exporter's RSS; ingest pays about a tenth of its throughput
export const EXPORTER_NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=4'];
