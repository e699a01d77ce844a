// binIndex by table, for the record path, which bins every numeric value twice (PSI and fine bins):
// the edges' range is cut into equal cells, each knowing which edges it holds, so a value finds its
// bin by one multiply and a look at the one or two edges of its cell, where a binary search over
// 100 edges takes 7 unpredictable branches. The result is binIndex's, exactly (see findCell).

/** Cells per edge: more cells, fewer edges per cell to look at. */
const CELLS_PER_EDGE = 4;
/** A cell holding more edges than this (edges bunched together) is searched by halves. */
const MAX_SCAN = 8;

export class BinLookup {
  readonly edges: Float64Array;
  /** The edges then +Infinity: a cell's first comparison needs no bounds check. */
  private readonly padded: Float64Array;
  private readonly first: number;
  private readonly last: number;
  private readonly scale: number;
  private readonly lastCell: number;
  /** starts[c]: the edges in the cells before c; cell c holds edges starts[c] … starts[c + 1] − 1. */
  private readonly starts: Int32Array;

  constructor(edges: ArrayLike<number>) {
    this.edges = Float64Array.from(edges);
    const n = this.edges.length;
    this.padded = new Float64Array(n + 1);
    this.padded.set(this.edges);
    this.padded[n] = Infinity;
    this.first = n > 0 ? this.edges[0] : Infinity;
    this.last = n > 0 ? this.edges[n - 1] : Infinity;
    const cells = Math.max(1, n * CELLS_PER_EDGE);
    const scale = cells / (this.last - this.first);
    // A range too wide (or too narrow) for the arithmetic: one cell, searched by halves. Still exact.
    this.scale = Number.isFinite(scale) ? scale : 0;
    this.lastCell = cells - 1;
    this.starts = new Int32Array(cells + 1);
    for (const edge of this.edges) if (edge < this.last) this.starts[this.findCell(edge) + 1]++;
    for (let c = 0; c < cells; c++) this.starts[c + 1] += this.starts[c];
    this.starts[cells] = n;
  }

  /**
   * The cell of a value in [first, last). The same arithmetic for edges and values, and it never
   * decreases as the value grows: an edge in an earlier cell than x is below x, one in a later cell
   * above it, so only the edges of x's own cell need a comparison.
   */
  private findCell(x: number): number {
    const cell = Math.floor((x - this.first) * this.scale);
    if (!(cell > 0)) return 0; // also NaN, from an infinite first edge (scale 0)
    return cell > this.lastCell ? this.lastCell : cell;
  }

  /** The number of edges ≤ x, as binIndex(x, edges): NaN → edges.length. */
  index(x: number): number {
    if (!(x >= this.first)) return x !== x ? this.edges.length : 0;
    if (x >= this.last) return this.edges.length;
    const cell = this.findCell(x);
    let lo = this.starts[cell];
    let hi = this.starts[cell + 1];
    const edges = this.padded;
    if (hi - lo > MAX_SCAN) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (edges[mid] <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    // Most cells hold no edge or one: its comparison is added without a branch (a cell with none
    // compares the next cell's first edge, or the +Infinity after the last, which is above x).
    lo += edges[lo] <= x ? 1 : 0;
    while (lo < hi && edges[lo] <= x) lo++;
    return lo;
  }
}
