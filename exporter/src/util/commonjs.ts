// fastify, prom-client, yaml and undici are CommonJS packages. Imported from an ES module, each makes
// Node load its CommonJS lexer (a WebAssembly parser kept for the life of the process) to find the
// package's named exports: about 3 MiB of an idle exporter's RSS (bench/memory-idle.mjs).
// Required, they need no lexer. Each is loaded on first use (require caches it): yaml only with a
// config file; undici (the HTTP client of the probe and prometheus sources, about 20 MiB of RSS with
// its fetch and WebAssembly HTTP parser) only when such a source is built, synchronously so that the
// source's constructor can make its Agent.
import { createRequire } from 'node:module';
import type * as Fastify from 'fastify';
import type * as PromClient from 'prom-client';
import type * as Undici from 'undici';
import type * as Yaml from 'yaml';

const load = createRequire(import.meta.url);

export const fastify = (): typeof Fastify.fastify => load('fastify') as typeof Fastify.fastify;
export const promClient = (): typeof PromClient => load('prom-client') as typeof PromClient;
export const yaml = (): typeof Yaml => load('yaml') as typeof Yaml;
export const undici = (): typeof Undici => load('undici') as typeof Undici;
