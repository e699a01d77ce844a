#!/usr/bin/env node
// The one-shot CLI (mlmon drift, mlmon profile), run from the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
