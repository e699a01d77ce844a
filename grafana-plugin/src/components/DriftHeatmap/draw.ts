import type { Threshold } from '@grafana/data';
import { valueColor, type ColorResolver } from '../../data/colors';
import type { DriftModel } from '../../data/model';
import type { ColorScheme } from '../../types';

export interface HeatmapLayout {
  width: number;
  height: number;
  rows: number;
  cols: number;
  cellW: number;
  cellH: number;
  gap: number;
}

export function heatmapLayout(width: number, height: number, rows: number, cols: number): HeatmapLayout {
  const cellW = cols > 0 ? width / cols : width;
  const cellH = rows > 0 ? height / rows : height;
  return { width, height, rows, cols, cellW, cellH, gap: cellH >= 6 ? 1 : 0 };
}

/** Cell under a point of the plot area, or undefined. */
export function cellAt(layout: HeatmapLayout, x: number, y: number): { row: number; col: number } | undefined {
  if (x < 0 || y < 0 || x >= layout.width || y >= layout.height) return undefined;
  const row = Math.floor(y / layout.cellH);
  const col = Math.floor(x / layout.cellW);
  return row < layout.rows && col < layout.cols ? { row, col } : undefined;
}

export interface DrawColors {
  resolve: ColorResolver;
  steps: Threshold[];
  scheme: ColorScheme;
  insufficient: { base: string; stripe: string };
  selection: string;
}

type Ctx = Pick<
  CanvasRenderingContext2D,
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'fillRect'
  | 'clearRect'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'stroke'
  | 'save'
  | 'restore'
  | 'rect'
  | 'clip'
  | 'strokeRect'
>;

/**
 * Draws one cell per feature and time step: threshold colour for values, a hatch for windows with
 * too little data, nothing where the series is absent. Returns the number of cells filled.
 */
export function drawHeatmap(ctx: Ctx, model: DriftModel, layout: HeatmapLayout, colors: DrawColors, selected?: string) {
  const { cellW, cellH, gap } = layout;
  ctx.clearRect(0, 0, layout.width, layout.height);
  const cache = new Map<number, string>();
  const colorOf = (v: number) => {
    let c = cache.get(v);
    if (c === undefined) {
      c = valueColor(v, colors.steps, colors.resolve, colors.scheme);
      if (cache.size < 4096) cache.set(v, c);
    }
    return c;
  };
  let filled = 0;
  const w = Math.max(1, cellW - (cellW >= 4 ? gap : 0));
  const h = Math.max(1, cellH - gap);
  const hatched: Array<[number, number]> = [];
  model.features.forEach((row, r) => {
    const y = r * cellH;
    for (let c = 0; c < layout.cols; c++) {
      const x = c * cellW;
      if (row.insufficient[c]) {
        hatched.push([x, y]);
        continue;
      }
      const v = row.values[c];
      if (Number.isNaN(v)) continue;
      ctx.fillStyle = colorOf(v);
      ctx.fillRect(x, y, w, h);
      filled++;
    }
  });
  if (hatched.length > 0) {
    ctx.fillStyle = colors.insufficient.base;
    for (const [x, y] of hatched) ctx.fillRect(x, y, w, h);
    // Diagonal stripes, clipped to the hatched cells, drawn in one path.
    ctx.save();
    ctx.beginPath();
    for (const [x, y] of hatched) ctx.rect(x, y, w, h);
    ctx.clip();
    ctx.beginPath();
    ctx.strokeStyle = colors.insufficient.stripe;
    ctx.lineWidth = 1;
    for (let d = -layout.height; d < layout.width; d += 6) {
      ctx.moveTo(d, layout.height);
      ctx.lineTo(d + layout.height, 0);
    }
    ctx.stroke();
    ctx.restore();
    filled += hatched.length;
  }
  const sel = selected === undefined ? -1 : model.features.findIndex((f) => f.name === selected);
  if (sel >= 0) {
    ctx.strokeStyle = colors.selection;
    ctx.lineWidth = 2;
    ctx.strokeRect(1, sel * cellH + 1, layout.width - 2, Math.max(1, cellH - 2));
  }
  return filled;
}
