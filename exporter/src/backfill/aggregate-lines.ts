// Pre-aggregated lines for `mlmon backfill`: one line holds the counts of many records of one
// time slice, as the database source hands them to the windows (ModelWindows.addAggregate), so a
// replay of months at hundreds of records per second need not write or parse every record. The
// windows, statistics and decisions are the same; what the line's producer does instead of the
// exporter is put each value in its bin.
//   {"model": "m", "timestamp": 1700000000000, "records": 12000,
//    "aggregates": {"x": {"present": 12000, "missing": 0, "unusual": 3, "bins": [...], "fine": [...],
//                         "finite": 12000, "centredSum": 1.5, "centredSumSquares": 11990.2}}}
// Numeric sums are centred on the reference mean. Lines carry no predictions or labels.
import { z } from 'zod';
import { parseTimestamp } from '../records/validate-record.ts';
import type { FeatureAggregate } from '../window/model-windows.ts';
import type { FeatureSlot } from '../window/layout.ts';

const count = z.number().finite().nonnegative();
/** A feature has at most 1001 fine bins (fine_bins ≤ 1000): longer arrays are refused. */
const counts = z.array(count).max(1001);

const featureAggregate = z.strictObject({
  present: count,
  missing: count,
  violations: count.optional(),
  unusual: count,
  bins: counts,
  fine: counts.optional(),
  fineCentredSums: z.array(z.number().finite()).max(1001).optional(),
  finite: count.optional(),
  centredSum: z.number().finite().optional(),
  centredSumSquares: count.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});

export const aggregateLineSchema = z.strictObject({
  model: z.string().min(1).max(128),
  timestamp: z.union([z.number(), z.string()]),
  records: z.number().int().nonnegative(),
  aggregates: z.record(z.string(), featureAggregate),
});

export interface AggregateLine {
  model: string;
  timestampMs: number;
  records: number;
  aggregates: Map<string, FeatureAggregate>;
}

export type AggregateValidation = { line: AggregateLine } | { rejection: { field: string; reason: string } };

/** Whether a parsed JSON line is an aggregate line rather than a record. */
export function isAggregateLine(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'aggregates' in value;
}

export function validateAggregateLine(value: unknown): AggregateValidation {
  const parsed = aggregateLineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { rejection: { field: issue.path.join('.'), reason: issue.message } };
  }
  const timestampMs = parseTimestamp(parsed.data.timestamp);
  if (timestampMs === undefined) return { rejection: { field: 'timestamp', reason: 'invalid_timestamp' } };
  const aggregates = new Map(Object.entries(parsed.data.aggregates));
  return { line: { model: parsed.data.model, timestampMs, records: parsed.data.records, aggregates } };
}

/** The first field whose bin counts do not fit the model's bins, if any. */
export function misfit(line: AggregateLine, slots: readonly FeatureSlot[]): string | undefined {
  const byName = new Map(slots.map((slot) => [slot.name, slot]));
  for (const [name, aggregate] of line.aggregates) {
    const slot = byName.get(name);
    if (!slot) return `aggregates.${name}`;
    if (aggregate.bins.length !== slot.binCount) return `aggregates.${name}.bins`;
    if (slot.type === 'numeric' && aggregate.fine && aggregate.fine.length !== slot.fineCount) {
      return `aggregates.${name}.fine`;
    }
    if (slot.type === 'numeric' && aggregate.fineCentredSums && aggregate.fineCentredSums.length !== slot.fineCount) {
      return `aggregates.${name}.fineCentredSums`;
    }
  }
  return undefined;
}
