// Node.js flags and environment the exporter runs with wherever this repository starts it: `npm
// start`, the image's ENTRYPOINT and ENV (exporter/Dockerfile, held equal by
// deploy/test/dockerfile.test.ts) and the benchmarks. exporter/README.md, "Windows and memory",
// says what each saves and costs; an npm install gets them through NODE_OPTIONS and the
// environment.
//  --enable-source-maps      stack traces name the TypeScript sources (bin/run.mjs turns the
//                            same on for the modules it loads, so plain `node bin/…` has it too)
//  --max-semi-space-size=4   caps V8's young generation at 2 × 4 MiB: the default lets it grow
//                            to 2 × 16 MiB, mostly empty but resident, a third of an idle
//                            exporter's RSS; ingest pays about a tenth of its throughput
export const EXPORTER_NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=4'];

// glibc's malloc, read at process start (hence environment, not flags):
//  MALLOC_ARENA_MAX=2              glibc otherwise gives each thread that allocates (V8's compiler
//                                  and garbage-collector threads, libuv's pool) an arena of its
//                                  own, up to 8 per core, each keeping what it freed: 4–6 MiB of
//                                  an idle exporter. One event loop needs no more than two.
//  MALLOC_MMAP_THRESHOLD_=131072   blocks of 128 KiB or more (the windows' typed arrays, snapshot
//                                  copies) are mapped on their own, so their untouched pages are
//                                  never resident and a freed one goes back to the system at once;
//                                  by default glibc raises this bound as big blocks are freed and
//                                  then keeps them in its heap: 2–3 MiB idle.
export const EXPORTER_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
