import { labelWidth, timeTicks } from './timeTicks';

const T0 = Date.UTC(2026, 0, 1, 10, 3, 17); // not on a round minute
const linear = (from: number, to: number, width: number) => (t: number) => ((t - from) / (to - from)) * width;

describe('timeTicks', () => {
  it('puts ticks at round intervals, evenly spaced', () => {
    const to = T0 + 30 * 60_000;
    const ticks = timeTicks(T0, to, 800, linear(T0, to, 800));
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    const step = ticks[1].time - ticks[0].time;
    expect([60_000, 120_000, 300_000, 600_000]).toContain(step);
    for (const t of ticks) expect(t.time % step).toBe(0);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].time - ticks[i - 1].time).toBe(step);
    expect(ticks[0].format).toBe('HH:mm');
  });
  it('never places a label across either end of the axis, and keeps labels apart', () => {
    for (const width of [120, 333, 801, 1577]) {
      const to = T0 + 2 * 3600_000;
      const ticks = timeTicks(T0, to, width, linear(T0, to, width));
      for (const t of ticks) {
        expect(t.x - labelWidth(t.format) / 2).toBeGreaterThanOrEqual(0);
        expect(t.x + labelWidth(t.format) / 2).toBeLessThanOrEqual(width);
      }
      for (let i = 1; i < ticks.length; i++)
        expect(ticks[i].x - ticks[i - 1].x).toBeGreaterThan(labelWidth(ticks[i].format));
    }
  });
  it('shows seconds only for intervals under a minute', () => {
    const to = T0 + 60_000;
    const ticks = timeTicks(T0, to, 800, linear(T0, to, 800));
    expect(ticks[0].format).toBe('HH:mm:ss');
    expect(ticks[1].time - ticks[0].time).toBeLessThan(60_000);
  });
});
