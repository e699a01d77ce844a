// The reference of each segment: the reference rows of one value of a segment column, profiled
// like a model of their own (their own quantile edges and categories). A segment column keeps its
// `max_values` most frequent reference values; every other value, and a missing one, is `__other__`.
import { asText } from '../io/cell.ts';
import type { Cell, Table } from '../io/read-table.ts';
import { buildProfile } from '../profile/build.ts';
import type { FeatureSpec } from '../profile/infer.ts';
import { OTHER_CATEGORY, type Profile, type ProfileSettings } from '../profile/types.ts';
import { compareCodePoints } from '../util/code-point-order.ts';

export const OTHER_SEGMENT = OTHER_CATEGORY;

/** One segment column: its kept values, most frequent first, and a profile per value. */
export interface SegmentReference {
  column: string;
  /** The kept values, then `__other__` when some reference rows fall outside them. */
  values: string[];
  profiles: Profile[];
}

/** The segment value of a cell: a kept value, or `__other__`. */
export function segmentOf(cell: unknown, kept: ReadonlySet<string>): string {
  const text = cell === null || cell === undefined ? null : asText(cell as Cell);
  return text !== null && kept.has(text) ? text : OTHER_SEGMENT;
}

export function buildSegmentReference(
  table: Table,
  column: string,
  maxValues: number,
  features: readonly FeatureSpec[],
  settings: ProfileSettings,
  prediction?: FeatureSpec,
): SegmentReference {
  const cells = table.columns.get(column) ?? [];
  const counts = new Map<string, number>();
  for (const cell of cells) {
    const text = asText(cell);
    if (text !== null) counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  // Most frequent first; ties by code point order, as the categorical bins are ranked.
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  const kept = ranked.slice(0, maxValues).map(([value]) => value);
  if (kept.includes(OTHER_SEGMENT)) throw new Error(`segment ${column}: the value "${OTHER_SEGMENT}" is reserved`);
  const keptSet = new Set(kept);
  const rowsOf = new Map<string, number[]>();
  for (const value of [...kept, OTHER_SEGMENT]) rowsOf.set(value, []);
  for (let row = 0; row < table.rowCount; row++) rowsOf.get(segmentOf(cells[row], keptSet))!.push(row);
  const values = [...rowsOf.keys()].filter((value) => rowsOf.get(value)!.length > 0);
  const profiles = values.map((value) =>
    buildProfile(rowsOfTable(table, rowsOf.get(value)!), features, settings, prediction),
  );
  return { column, values, profiles };
}

function rowsOfTable(table: Table, rows: readonly number[]): Table {
  const columns = new Map<string, Cell[]>();
  for (const [name, cells] of table.columns)
    columns.set(
      name,
      rows.map((row) => cells[row]),
    );
  return { columns, rowCount: rows.length };
}
