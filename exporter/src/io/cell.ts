// What a cell means, as pandas' read_csv decides it by default, for every reader and every path
// (the CLI, profiles, the `file` source): the cell's text is kept until the feature's type is known.
import type { Cell } from './read-table.ts';

/** pandas' default na_values: these cells are missing in every column, text columns included. */
export const NA_TOKENS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)inf(inity)?$/i;
// The whitespace pandas' tokenizer skips around a number (spaces and tabs; \r and \n never reach a cell).
const PADDING = /^[ \t]+|[ \t]+$/g;

/** Missing: absent, null, NaN, or text that is one of the NA tokens. */
export function isMissingCell(cell: Cell): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'number') return Number.isNaN(cell);
  return typeof cell === 'string' && NA_TOKENS.has(cell);
}

/** The number a text spells, spaces and tabs around it ignored; undefined when it is no number. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32 ? text.replace(PADDING, '') : text;
  if (NUMBER.test(trimmed)) return Number(trimmed);
  const inf = INFINITY.exec(trimmed);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/**
 * A cell read as a number: the number, null when missing, or the cell itself when it is no number
 * (a schema violation the caller counts).
 */
export function asNumber(cell: Cell): number | null | string | boolean {
  if (typeof cell === 'number') return Number.isNaN(cell) ? null : cell;
  if (isMissingCell(cell)) return null;
  if (typeof cell === 'string') {
    return parseNumber(cell) ?? cell;
  }
  return cell as boolean;
}

/** A cell read as a category: its text (numbers and booleans as JSON spells them), or null when missing. */
export function asText(cell: Cell): string | null {
  if (isMissingCell(cell)) return null;
  return typeof cell === 'string' ? cell : String(cell);
}

/** Whether the cell counts towards a numeric type: missing cells do not decide. */
export function isNumberCell(cell: Cell): boolean {
  if (typeof cell === 'number') return true;
  return typeof cell === 'string' && parseNumber(cell) !== undefined;
}

/** A CSV cell whose type no profile decides (record fields such as label or timestamp). */
export function scalarCell(text: string): number | string | null {
  if (NA_TOKENS.has(text)) return null;
  return parseNumber(text) ?? text;
}
