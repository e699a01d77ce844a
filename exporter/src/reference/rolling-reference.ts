// A rolling reference: each window compared with the same window one period earlier (`rolling:
// 7d`: this Monday 09:00-10:00 with last Monday's), from the exporter's own history. The history
// is one more slice ring counted into with the windows (window/model-windows.ts) and saved in
// snapshots with them, so a restart keeps it. Its slices are a sixth of the shortest window, or
// longer so that there are at most 2016 of them; memory per model:
//   slices × (the model's counters per slice) × 8 bytes, slices = ⌈(period + longest window) / slice⌉ + 1
// e.g. 7d and a 1h window: 1,015 slices of 10 min; with 20 numeric features at the default 10 and
// 100 bins (about 220 counters each) about 36 MB. The window one period earlier is summed from the
// slices that start inside it (to within one history slice). Until it holds min_samples values of
// a feature (the first period after a start without a snapshot), that feature is compared with the
// static reference.
import type { FeatureProfile } from '../profile/types.ts';
import { currentFromWindow } from '../report/from-window.ts';
import type { FeatureSlot } from '../window/layout.ts';
import type { ModelWindows, WindowTotals } from '../window/model-windows.ts';

export const MAX_HISTORY_SLICES = 2016;

/** The history ring's length and slice for a period and the model's windows. */
export function historyShape(periodMs: number, windowsMs: readonly number[]): { ms: number; sliceMs: number } {
  const longest = Math.max(...windowsMs);
  const sliceMs = Math.max(Math.min(...windowsMs) / 6, Math.ceil((periodMs + longest) / MAX_HISTORY_SLICES));
  const slices = Math.ceil((periodMs + longest) / sliceMs) + 1;
  return { ms: slices * sliceMs, sliceMs };
}

export class RollingReference {
  private recent?: { key: string; totals: WindowTotals };

  constructor(
    readonly periodMs: number,
    private readonly windows: ModelWindows,
    private readonly minSamples: number,
  ) {}

  profileFor(slot: FeatureSlot, windowMs: number, endMs: number): FeatureProfile {
    const ring = this.windows.historyRing;
    if (!ring) return slot.profile;
    const from = endMs - this.periodMs - windowMs;
    const key = `${windowMs}\t${from}\t${this.windows.changes}`;
    if (this.recent?.key !== key) {
      const sums = ring.sumRange(from, endMs - this.periodMs);
      this.recent = { key, totals: { window: { label: '', ms: windowMs }, ...sums } };
    }
    const earlier = currentFromWindow(slot, this.recent.totals);
    if (!(earlier.present >= this.minSamples)) return slot.profile;
    const pooled = slot.profile;
    if (pooled.type === 'categorical' || earlier.type === 'categorical') {
      return { ...pooled, count: earlier.present, missing: earlier.missing, counts: Array.from(earlier.bins) };
    }
    return {
      ...pooled,
      count: earlier.present,
      missing: earlier.missing,
      counts: Array.from(earlier.bins),
      fine_counts: Array.from(earlier.fine),
      fine_sums: earlier.fineSums ? Array.from(earlier.fineSums) : undefined,
    };
  }
}
