// Strings ordered by Unicode code point, as numpy and Python order them. JavaScript's `<` compares
// UTF-16 code units, which puts astral characters (emoji, U+10000 and up) before U+E000–U+FFFF.
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only when both units differ and one is a surrogate can the two orders disagree.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
