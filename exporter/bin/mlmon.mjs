#!/usr/bin/env node
// The one-shot CLI (mlmon drift, mlmon profile, mlmon backfill); bin/run.mjs runs the built JavaScript.
import { run } from './run.mjs';

await run('mlmon.js');
