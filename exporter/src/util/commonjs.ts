// fastify, prom-client and yaml are CommonJS packages. Imported from an ES module, each makes Node
// load its CommonJS lexer (a WebAssembly parser kept for the life of the process) to find the
// package's named exports: about 3 MiB of an idle exporter's RSS (bench/memory-idle.mjs).
// Required, they need no lexer. Each is loaded on first use: yaml only with a config file.
import { createRequire } from 'node:module';
import type * as Fastify from 'fastify';
import type * as PromClient from 'prom-client';
import type * as Yaml from 'yaml';

const load = createRequire(import.meta.url);

export const fastify = (): typeof Fastify.fastify => load('fastify') as typeof Fastify.fastify;
export const promClient = (): typeof PromClient => load('prom-client') as typeof PromClient;
export const yaml = (): typeof Yaml => load('yaml') as typeof Yaml;
