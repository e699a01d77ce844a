// Node.js flags and environment the exporter runs with wherever this repository starts it: `npm
// start`, the image's ENTRYPOINT and ENV (exporter/Dockerfile, held equal by
// deploy/test/dockerfile.test.ts) and the benchmarks. README "Windows and memory" gives what each
// saves and costs (bench/memory-idle.mjs, bench/ingest.mjs, bench/scrape.mjs); an npm install
// gets them through NODE_OPTIONS and the environment.
//  --enable-source-maps      stack traces name the TypeScript sources (bin/run.mjs turns the
//                            same on for the modules it loads, so plain `node bin/…` has it too)
//  --max-semi-space-size=4   caps V8's young generation at 2 × 4 MiB: the default lets it grow
//                            to 2 × 16 MiB, mostly empty but resident, a third of an idle
//                            exporter's RSS; ingest pays about a tenth of its throughput
//  --optimize-for-size       V8 keeps its heap tighter (grows it less ahead of use, compacts
//                            more readily): 4–5 MiB less idle RSS
export const EXPORTER_NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=4'];

// MALLOC_ARENA_MAX=2: glibc otherwise gives each thread that allocates (V8's compiler and
// garbage-collector threads, libuv's pool) a malloc arena of its own, up to 8 per core, each
// keeping what it freed: 4–6 MiB of an idle exporter's RSS. Two arenas are plenty for one event
// loop. (Read by glibc at process start, so it is environment, not a flag.)
export const EXPORTER_ENV = { MALLOC_ARENA_MAX: '2' };
