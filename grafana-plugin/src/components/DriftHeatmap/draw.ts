import { colorScale, type ColorResolver } from '../../data/colors';
import type { FeatureRow } from '../../data/model';
import type { ColorScheme, Palette, StatThresholds } from '../../types';

/**
 * Cell geometry on whole pixels: column edges rounded (neighbours share an edge, no gaps, so no
 * moiré however many columns), rows of one integer height with a 1 px gap.
 */
export interface HeatmapGeometry {
  width: number;
  height: number;
  rows: number;
  cols: number;
  /** x edges of the columns: cols + 1 values from 0 to width. */
  xs: number[];
  rowH: number;
  gap: number;
}

export function heatmapGeometry(width: number, rows: number, cols: number, rowH: number): HeatmapGeometry {
  const w = Math.max(1, Math.floor(width));
  const xs = Array.from({ length: cols + 1 }, (_, c) => (cols > 0 ? Math.round((c * w) / cols) : 0));
  return { width: w, height: rows * rowH, rows, cols, xs, rowH, gap: rowH >= 8 ? 1 : 0 };
}

/** Cell under a point of the plot area, or undefined. */
export function cellAt(g: HeatmapGeometry, x: number, y: number): { row: number; col: number } | undefined {
  if (x < 0 || y < 0 || x >= g.width || y >= g.height || g.cols === 0) return undefined;
  const row = Math.floor(y / g.rowH);
  let col = Math.min(g.cols - 1, Math.floor((x * g.cols) / g.width));
  while (col > 0 && g.xs[col] > x) col--;
  while (col < g.cols - 1 && g.xs[col + 1] <= x) col++;
  return row < g.rows ? { row, col } : undefined;
}

export interface DrawColors {
  resolve: ColorResolver;
  limits: StatThresholds;
  palette: Palette;
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
 * Draws one cell per feature and time step: the value's colour on its statistic's limits, a hatch
 * for windows with too little data, nothing where the series is absent. Returns the cells filled.
 */
export function drawHeatmap(ctx: Ctx, rows: FeatureRow[], g: HeatmapGeometry, colors: DrawColors, selected = -1) {
  ctx.clearRect(0, 0, g.width, g.height);
  const colorOf = colorScale(colors.limits, colors.palette, colors.scheme, colors.resolve);
  let filled = 0;
  const h = Math.max(1, g.rowH - g.gap);
  const hatched: Array<[number, number, number]> = [];
  // Neighbouring cells of one colour are filled as one rectangle: with threshold colours a row is
  // a few runs, not one call per cell (and fillStyle, which parses its string, is set per run).
  rows.forEach((row, r) => {
    const y = r * g.rowH;
    let runStart = -1;
    let runColor = '';
    const flush = (end: number) => {
      if (runStart < 0) return;
      ctx.fillStyle = runColor;
      ctx.fillRect(g.xs[runStart], y, g.xs[end] - g.xs[runStart], h);
      runStart = -1;
    };
    for (let c = 0; c < g.cols; c++) {
      if (row.insufficient[c]) {
        flush(c);
        hatched.push([g.xs[c], y, g.xs[c + 1] - g.xs[c]]);
        continue;
      }
      const v = row.values[c];
      if (Number.isNaN(v)) {
        flush(c);
        continue;
      }
      const color = colorOf(v);
      if (runStart >= 0 && color !== runColor) flush(c);
      if (runStart < 0) {
        runStart = c;
        runColor = color;
      }
      filled++;
    }
    flush(g.cols);
  });
  if (hatched.length > 0) {
    ctx.fillStyle = colors.insufficient.base;
    for (const [x, y, w] of hatched) ctx.fillRect(x, y, w, h);
    // Diagonal stripes, clipped to the hatched cells, drawn in one path.
    ctx.save();
    ctx.beginPath();
    for (const [x, y, w] of hatched) ctx.rect(x, y, w, h);
    ctx.clip();
    ctx.beginPath();
    ctx.strokeStyle = colors.insufficient.stripe;
    ctx.lineWidth = 1;
    for (let d = -g.height; d < g.width; d += 6) {
      ctx.moveTo(d, g.height);
      ctx.lineTo(d + g.height, 0);
    }
    ctx.stroke();
    ctx.restore();
    filled += hatched.length;
  }
  if (selected >= 0 && selected < rows.length) {
    ctx.strokeStyle = colors.selection;
    ctx.lineWidth = 2;
    ctx.strokeRect(1, selected * g.rowH + 1, g.width - 2, Math.max(1, h - 2));
  }
  return filled;
}
