// The slice rings behind a label-free estimation, binary or multiclass: one ring per window, each
// slice a block of `width` sums. Kept here once so each kind only says which sums a prediction adds.
import { SliceRing } from '../window/ring.ts';
import type { WindowSpec } from '../window/model-windows.ts';

export class EstimationRings {
  private readonly rings: SliceRing[];

  constructor(
    readonly windows: readonly WindowSpec[],
    slices: number,
    width: number,
  ) {
    this.rings = windows.map((w) => new SliceRing(w.ms, slices, width, 0));
  }

  get bytes(): number {
    return this.rings.reduce((sum, ring) => sum + ring.bytes, 0);
  }

  /** The rings a snapshot saves and restores (valid only with the same calibration map). */
  get snapshotRings(): readonly SliceRing[] {
    return this.rings;
  }

  /** Each window's sums over its slices. */
  totals(now: number): { window: WindowSpec; cells: Float64Array }[] {
    return this.rings.map((ring, i) => ({ window: this.windows[i], cells: ring.total(now).counts }));
  }

  /** `add` for each ring still holding the slice of a prediction made at `ts` (a future `ts` counts as now). */
  protected eachSlot(ts: number, now: number, add: (ring: SliceRing, slot: number) => void): void {
    for (const ring of this.rings) {
      const slot = ring.slotFor(Math.min(ts, now), now);
      if (slot >= 0) add(ring, slot);
    }
  }
}
