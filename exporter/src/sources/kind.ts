// What a source kind declares, in its own folder (kind.ts): the schema of its config entry, the
// paths of that entry to resolve against the config file, and how to build the source.
// sources/registry.ts lists the kinds, one line each.
import type { z } from 'zod';
import type { Source, SourceContext } from './source.ts';

/** A kind's config entry: `type` is the kind's name (an object, or a union of modes). */
export type KindSchema = z.ZodType<{ type: string }>;

export interface SourceKind<S extends KindSchema> {
  /** The `type` of the kind's config entries. */
  readonly type: z.infer<S>['type'];
  readonly schema: S;
  /** Rewrites the entry's relative paths with `local` (relative to the config file). */
  resolvePaths?(config: z.infer<S>, local: (path: string) => string): void;
  create(config: z.infer<S>, context: SourceContext): Source;
}

export function defineSourceKind<S extends KindSchema>(kind: SourceKind<S>): SourceKind<S> {
  return kind;
}
