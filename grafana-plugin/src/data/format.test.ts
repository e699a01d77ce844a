import { formatCount, formatPValue, formatRatio, formatStat } from './format';

describe('number formats, one per column', () => {
  it('prints statistics with three decimals, never in exponent form', () => {
    expect(formatStat(0.004416)).toBe('0.004');
    expect(formatStat(0.000555)).toBe('0.001');
    expect(formatStat(0.0002)).toBe('< 0.001');
    expect(formatStat(0)).toBe('0.000');
    expect(formatStat(12.3456)).toBe('12.346');
    expect(formatStat(NaN)).toBe('–');
  });
  it('prints p-values below the float floor as < 1e-300, never as 0', () => {
    expect(formatPValue(0)).toBe('< 1e-300');
    expect(formatPValue(5e-324)).toBe('< 1e-300');
    expect(formatPValue(3.2e-5)).toBe('3.2e-5');
    expect(formatPValue(0.0123)).toBe('0.012');
    expect(formatPValue(0.4)).toBe('0.400');
  });
  it('prints ratios as percentages and counts with separators', () => {
    expect(formatRatio(0.0105)).toBe('1.1%');
    expect(formatRatio(0.0001)).toBe('< 0.1%');
    expect(formatCount(12345.4)).toBe('12,345');
  });
});
