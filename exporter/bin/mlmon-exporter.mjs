#!/usr/bin/env node
// mlmon-exporter: the Prometheus exporter; bin/run.mjs runs the built JavaScript.
import { run } from './run.mjs';

await run('exporter.js');
