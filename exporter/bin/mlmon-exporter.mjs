#!/usr/bin/env node
// mlmon-exporter: the Prometheus exporter (bin/run.mjs picks the built or the source code).
import { run } from './run.mjs';

await run('main.ts', 'exporter.js');
