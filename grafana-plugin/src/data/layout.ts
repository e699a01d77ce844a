// Where the overview's sections go for a panel size: sized from the width and height, each with a
// minimum below which it is not squashed but moved behind a tab in the panel header.
import type { OverviewLayout } from '../types';

export type Section = 'heatmap' | 'table' | 'distribution';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface OverviewPlan {
  arrangement: 'rows' | 'columns' | 'stacked' | 'single';
  boxes: Partial<Record<Section, Box>>;
  /** Sections that did not fit at their minimum size: reachable by the header's tabs. */
  hidden: Section[];
}

/** Smallest useful size of each section (px). */
export const MIN_SIZE: Record<Section, { w: number; h: number }> = {
  heatmap: { w: 240, h: 38 },
  table: { w: 320, h: 120 },
  distribution: { w: 260, h: 200 },
};

/** Heatmap row height: 18 px when there is room, never below 14 px (a legible 12 px label). */
export const ROW_H = 18;
export const MIN_ROW_H = 14;
/** Time axis under the heatmap rows, and the "show all" footer when rows are left out. */
export const HEATMAP_AXIS_H = 20;
export const HEATMAP_FOOTER_H = 22;
export const GAP = 8;

/** The height the heatmap wants for `rows` rows at the comfortable row height. */
export function heatmapWants(rows: number, footer = false): number {
  return Math.max(MIN_SIZE.heatmap.h, rows * ROW_H + HEATMAP_AXIS_H + (footer ? HEATMAP_FOOTER_H : 0));
}

const fits = (s: Section, b: Box) => b.w >= MIN_SIZE[s].w && b.h >= MIN_SIZE[s].h;

function single(width: number, height: number, first: Section): OverviewPlan {
  const hidden = (['heatmap', 'table', 'distribution'] as Section[]).filter((s) => s !== first);
  return { arrangement: 'single', boxes: { [first]: { x: 0, y: 0, w: width, h: height } }, hidden };
}

/**
 * Arrangements: `rows` (heatmap on top, table and distribution side by side below), `columns`
 * (heatmap over table on the left, distribution on the right), `stacked` (one per row, full width).
 * `auto` picks `rows`, `stacked` for narrow tall panels, and one section with tabs for small ones.
 */
export function planOverview(
  width: number,
  height: number,
  rows: number,
  layout: OverviewLayout,
  footer = false,
): OverviewPlan {
  let arrangement: OverviewPlan['arrangement'] = layout === 'auto' ? 'rows' : layout;
  if (layout === 'auto') {
    if (width < 560 || height < 300) arrangement = 'single';
    else if (width < 760) arrangement = 'stacked';
  }
  if (arrangement === 'single') return single(width, height, 'heatmap');

  const boxes: Partial<Record<Section, Box>> = {};
  if (arrangement === 'columns') {
    const leftW = Math.round((width - GAP) * 0.58);
    const heatH = Math.min(heatmapWants(rows, footer), Math.round((height - GAP) * 0.5));
    boxes.heatmap = { x: 0, y: 0, w: leftW, h: heatH };
    boxes.table = { x: 0, y: heatH + GAP, w: leftW, h: height - heatH - GAP };
    boxes.distribution = { x: leftW + GAP, y: 0, w: width - leftW - GAP, h: height };
  } else if (arrangement === 'stacked') {
    const heatH = Math.min(heatmapWants(rows, footer), Math.round(height * 0.4));
    const rest = height - heatH - 2 * GAP;
    const tableH = Math.round(rest * 0.45);
    boxes.heatmap = { x: 0, y: 0, w: width, h: heatH };
    boxes.table = { x: 0, y: heatH + GAP, w: width, h: tableH };
    boxes.distribution = { x: 0, y: heatH + tableH + 2 * GAP, w: width, h: rest - tableH };
  } else {
    const heatH = Math.min(heatmapWants(rows, footer), Math.round((height - GAP) * 0.5));
    const bottomH = height - heatH - GAP;
    const tableW = Math.round((width - GAP) * 0.6);
    boxes.heatmap = { x: 0, y: 0, w: width, h: heatH };
    boxes.table = { x: 0, y: heatH + GAP, w: tableW, h: bottomH };
    boxes.distribution = { x: tableW + GAP, y: heatH + GAP, w: width - tableW - GAP, h: bottomH };
  }
  const hidden = (Object.keys(boxes) as Section[]).filter((s) => !fits(s, boxes[s]!));
  if (hidden.includes('heatmap')) return single(width, height, 'heatmap');
  // A section that does not fit gives its room to its neighbour rather than leave a hole.
  if (hidden.length > 0) return regrow(arrangement, width, height, boxes, hidden);
  return { arrangement, boxes, hidden };
}

function regrow(
  arrangement: OverviewPlan['arrangement'],
  width: number,
  height: number,
  boxes: Partial<Record<Section, Box>>,
  hidden: Section[],
): OverviewPlan {
  const heat = boxes.heatmap!;
  const keep = (['table', 'distribution'] as Section[]).filter((s) => !hidden.includes(s));
  const out: Partial<Record<Section, Box>> = { heatmap: heat };
  if (keep.length === 1) {
    const s = keep[0];
    out[s] =
      arrangement === 'columns'
        ? { x: heat.w + GAP, y: 0, w: width - heat.w - GAP, h: height }
        : { x: 0, y: heat.h + GAP, w: width, h: height - heat.h - GAP };
    if (arrangement === 'columns' && s === 'table') {
      out.heatmap = { ...heat, h: height };
    }
    if (!fits(s, out[s]!))
      return { arrangement, boxes: { heatmap: { ...heat, h: height } }, hidden: ['table', 'distribution'] };
    return { arrangement, boxes: out, hidden: hidden };
  }
  return { arrangement, boxes: { heatmap: { x: 0, y: 0, w: width, h: height } }, hidden: ['table', 'distribution'] };
}
