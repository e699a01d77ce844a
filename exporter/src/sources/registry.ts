// Every source kind, one line each; a kind's folder declares its schema, paths and factory
// (kind.ts). The config's `sources` entries are the union of the kinds' schemas, by `type`.
import { z } from 'zod';
import { fileKind } from './file/kind.ts';
import type { SourceKind, KindSchema } from './kind.ts';
import { postgresKind } from './postgres/kind.ts';
import { probeKind } from './probe/kind.ts';
import { prometheusKind } from './prometheus/kind.ts';
import type { Source, SourceContext } from './source.ts';

export const SOURCE_KINDS = [fileKind, postgresKind, probeKind, prometheusKind] as const;

type SchemasOf<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { schema: infer S } ? S : never;
};

export const sourceSchema = z.discriminatedUnion(
  'type',
  SOURCE_KINDS.map((kind) => kind.schema) as unknown as SchemasOf<typeof SOURCE_KINDS>,
);

export type SourceConfig = z.infer<typeof sourceSchema>;

function kindOf(type: string): SourceKind<KindSchema> {
  const kind = SOURCE_KINDS.find((k) => k.type === type);
  if (!kind) throw new Error(`unknown source type "${type}"`);
  return kind as unknown as SourceKind<KindSchema>;
}

/** Rewrites a source entry's relative paths with `local`, as its kind says. */
export function resolveSourcePaths(config: SourceConfig, local: (path: string) => string): void {
  kindOf(config.type).resolvePaths?.(config, local);
}

export function buildSource(config: SourceConfig, context: SourceContext): Source {
  return kindOf(config.type).create(config, context);
}
