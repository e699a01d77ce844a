// `mlmon` from the TypeScript sources (tests, development); bin/mlmon.mjs runs the built one.
import { runSource } from './dev-run.mjs';

await runSource('cli/main.ts');
