import { MIN_SIZE, heatmapWants, planOverview, type Section } from './layout';

const sizes: Array<[number, number]> = [
  [400, 300],
  [800, 450],
  [1600, 900],
  [600, 900],
];

describe('planOverview', () => {
  it('never gives a section less than its minimum size, at any panel size or layout', () => {
    for (const [w, h] of sizes) {
      for (const layout of ['auto', 'rows', 'columns', 'stacked'] as const) {
        for (const rows of [1, 6, 20]) {
          const plan = planOverview(w, h, rows, layout);
          for (const [s, b] of Object.entries(plan.boxes) as Array<[Section, { w: number; h: number }]>) {
            if (plan.arrangement === 'single') continue; // one section gets the whole panel
            expect([s, b.w >= MIN_SIZE[s].w, b.h >= MIN_SIZE[s].h]).toEqual([s, true, true]);
          }
          // Whatever is not shown is reachable by a tab.
          expect(Object.keys(plan.boxes).length + plan.hidden.length).toBe(3);
        }
      }
    }
  });
  it('switches to one section with tabs on a small panel', () => {
    const plan = planOverview(384, 250, 6, 'auto');
    expect(plan.arrangement).toBe('single');
    expect(plan.hidden).toEqual(['table', 'distribution']);
  });
  it('shows all three sections at a typical 800 × 450 panel, the heatmap no taller than its rows need', () => {
    const plan = planOverview(784, 410, 6, 'auto');
    expect(plan.arrangement).toBe('rows');
    expect(plan.hidden).toEqual([]);
    expect(plan.boxes.heatmap!.h).toBe(heatmapWants(6));
    expect(plan.boxes.table!.h).toBeGreaterThanOrEqual(MIN_SIZE.table.h);
  });
  it('stacks the sections on a narrow tall panel and follows a forced layout', () => {
    expect(planOverview(600, 900, 6, 'auto').arrangement).toBe('stacked');
    const columns = planOverview(1584, 860, 20, 'columns');
    expect(columns.arrangement).toBe('columns');
    expect(columns.boxes.distribution!.x).toBeGreaterThan(0);
    expect(columns.boxes.distribution!.h).toBe(860);
  });
});
