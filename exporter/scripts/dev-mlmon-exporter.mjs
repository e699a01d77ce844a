// `mlmon-exporter` from the TypeScript sources (tests, development); bin/mlmon-exporter.mjs runs the built one.
import { runSource } from './dev-run.mjs';

await runSource('main.ts');
