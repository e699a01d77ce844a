// Families written once per scrape for every source of one kind (a family may be declared only
// once per scrape): one collector per exporter state, listing the running sources of that kind.
import type { Exposition } from '../metrics/exposition.ts';
import type { ExporterState } from '../state.ts';

export class SourceFamilies<S> {
  private readonly registered = new WeakMap<ExporterState, { sources: Set<S>; collect: (out: Exposition) => void }>();

  constructor(private readonly write: (out: Exposition, sources: ReadonlySet<S>) => void) {}

  /** Adds the source, (re)installing the collector: a config reload empties state.collectors. */
  add(state: ExporterState, source: S): void {
    let entry = this.registered.get(state);
    if (!entry) {
      const sources = new Set<S>();
      entry = { sources, collect: (out) => this.write(out, sources) };
      this.registered.set(state, entry);
    }
    if (!state.collectors.includes(entry.collect)) state.collectors.push(entry.collect);
    entry.sources.add(source);
  }

  remove(state: ExporterState, source: S): void {
    this.registered.get(state)?.sources.delete(source);
  }
}
