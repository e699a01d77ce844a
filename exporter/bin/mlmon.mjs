#!/usr/bin/env node
// The one-shot CLI (mlmon drift, mlmon profile); bin/run.mjs picks the built or the source code.
import { run } from './run.mjs';

await run('cli/main.ts', 'mlmon.js');
