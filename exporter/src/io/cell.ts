// CSV cells are text: turn them into the values mlmon reasons about.
// Empty cells are missing; numbers (including NaN and ±Infinity spellings) become numbers.
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = {
  nan: NaN,
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
};

export function csvCell(text: string): number | string | null {
  if (text === '') return null;
  if (NUMBER.test(text)) return Number(text);
  const special = SPECIAL[text.toLowerCase()];
  return special === undefined ? text : special;
}
