// Turns an ingest body into items, one per record. A JSON body that cannot be parsed as a whole
// is refused; a bad NDJSON line costs only that line. Nesting and the number of items are found
// by a linear scan of the text before anything is parsed: a 10 MiB body of `[0,0,…]` (5 M items)
// is refused without building 5 M values.

import { STEP_CHECK_ITEMS, StepBudget } from './limits.ts';

export interface BodyItem {
  value?: unknown;
  /** Why this item could not be read; the record is then rejected with this reason. */
  error?: string;
}

export class BodyError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The answer to a body holding more items than a request may: 413, before any is parsed. */
function tooManyItems(maxItems: number): BodyError {
  return new BodyError(`the body holds more than ${maxItems} records`, 'too_many_records', 413);
}

/**
 * The elements of a top-level JSON array (1 for any other value), counted by a linear scan that
 * gives up past `limit`. Commas at depth 1 outside strings separate them.
 */
export function topLevelItems(text: string, limit: number): number {
  const start = text.search(/\S/);
  if (start < 0 || text.charCodeAt(start) !== 91 /* [ */) return 1;
  let depth = 1;
  let items = 0;
  let inString = false;
  for (let i = start + 1; i < text.length && depth > 0; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (items === 0 && depth === 1 && c > 32 && c !== 93 /* ] */) items = 1;
    if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
    else if (c === 125 || c === 93) depth--;
    else if (c === 44 /* , */ && depth === 1 && ++items > limit) return items;
  }
  return items;
}

/** Lines holding something other than blanks, counted without splitting; gives up past `limit`. */
export function ndjsonLines(text: string, limit: number): number {
  let lines = 0;
  let content = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c === 10 /* \n */) {
      if (content && ++lines > limit) return lines;
      content = false;
    } else if (c !== 32 && c !== 9 && c !== 13) content = true;
  }
  return lines;
}

/**
 * The deepest nesting of arrays and objects, found by a linear scan that gives up past `limit`.
 * JSON.parse on deeply nested input recurses; this check keeps it from doing so.
 */
export function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * Whether the text nests deeper than `limit`. Each level opens a bracket: a text with at most
 * `limit` of them (a flat record has one or two), counted by the native indexOf, needs no scan.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  return openingBrackets(text, limit) > limit && nestingDepth(text, limit) > limit;
}

/** How many `{` and `[` the text holds (even inside strings), counting no further than limit + 1. */
function openingBrackets(text: string, limit: number): number {
  let count = 0;
  for (let at = text.indexOf('{'); at >= 0 && count <= limit; at = text.indexOf('{', at + 1)) count++;
  for (let at = text.indexOf('['); at >= 0 && count <= limit; at = text.indexOf('[', at + 1)) count++;
  return count;
}

/** Whether the text holds more than `limit` newlines, counted by the native indexOf. */
function moreNewlinesThan(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) if (++count > limit) return true;
  return false;
}

export function parseJsonBody(text: string, maxDepth: number, maxItems = Infinity): BodyItem[] {
  if (nestsDeeperThan(text, maxDepth)) {
    throw new BodyError(`body nests deeper than ${maxDepth} levels`, 'too_deep');
  }
  if (topLevelItems(text, maxItems) > maxItems) throw tooManyItems(maxItems);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BodyError(`invalid JSON: ${(err as Error).message}`, 'invalid_json');
  }
  return Array.isArray(value) ? value.map((item) => ({ value: item })) : [{ value }];
}

/**
 * The lines of an NDJSON body as items, a bad line costing only itself; a yield to the event loop
 * every few milliseconds (StepBudget), so that a 10 MiB body never holds a scrape for its whole parse.
 */
export async function parseNdjsonBodyInSteps(text: string, maxDepth: number, maxItems = Infinity): Promise<BodyItem[]> {
  const items: BodyItem[] = [];
  await ndjsonBody(text, maxDepth, maxItems).forEachItem((item) => void items.push(item));
  return items;
}

/**
 * Reads a line of an NDJSON body from its bytes `[start, end)` without JSON.parse, and counts it:
 * true when it did, false to have the line read as usual (nothing of it was kept).
 */
export type FastLine = (bytes: Uint8Array, start: number, end: number) => boolean;

/**
 * An NDJSON body whose records were counted (no more than the limit) but not yet parsed: the
 * records route reads it line by line, each record parsed and counted before the next is parsed,
 * so that no batch of parsed records is held (and copied by the garbage collector) at once.
 * A body received as bytes is read from them: a line that the route's fast path takes is never
 * decoded; any other is decoded alone, which gives the text decoding the whole body would give
 * (a newline byte is never part of a UTF-8 sequence, nor swallowed by a malformed one).
 */
export class NdjsonBody {
  constructor(
    readonly body: string | Buffer,
    readonly maxDepth: number,
  ) {}

  /**
   * Calls `use` with each line's item, in order (blank lines skipped), yielding to the event loop
   * every few milliseconds (StepBudget) of parsing and of what `use` does. With `fast`, a line of a
   * body held as bytes goes to it first, and to `use` (as its item) only when `fast` declines it.
   * `use` gets the index each item has among the body's items.
   */
  async forEachItem(use: (item: BodyItem, index: number) => void, fast?: FastLine): Promise<number> {
    const budget = new StepBudget();
    let sinceCheck = 0;
    let items = 0;
    const { body } = this;
    const bytes = typeof body === 'string' ? undefined : body;
    const lines = typeof body === 'string' ? body.split('\n') : undefined;
    const count = lines ? lines.length : undefined;
    let start = 0;
    for (let n = 0; lines ? n < count! : start <= bytes!.length; n++) {
      let line: string | undefined;
      let length: number;
      if (lines) {
        line = lines[n];
        length = line.length;
      } else {
        let end = bytes!.indexOf(10, start);
        if (end < 0) end = bytes!.length;
        length = end - start;
        if (fast && fast(bytes!, start, end)) {
          items++;
          line = undefined;
        } else line = bytes!.toString('utf8', start, end);
        start = end + 1;
      }
      // The clock costs more than a short line's checks: read it every 64 KiB or STEP_CHECK_ITEMS lines.
      sinceCheck += length + STEP_LINE_COST;
      if (sinceCheck > STEP_CHECK_CHARS) {
        sinceCheck = 0;
        if (budget.due()) await budget.yield();
      }
      if (line === undefined) continue;
      const item = parseLine(line, this.maxDepth);
      if (item) use(item, items++);
    }
    return items;
  }
}

/** The body as NdjsonBody, refused (413) before anything is parsed when it holds more than `maxItems` records. */
export function ndjsonBody(body: string | Buffer, maxDepth: number, maxItems = Infinity): NdjsonBody {
  // Lines with content are at most newlines + 1: the exact count is needed only past the limit.
  if (typeof body === 'string') {
    if (moreNewlinesThan(body, maxItems - 1) && ndjsonLines(body, maxItems) > maxItems) throw tooManyItems(maxItems);
  } else if (moreNewlineBytesThan(body, maxItems - 1) && ndjsonLineBytes(body, maxItems) > maxItems) {
    throw tooManyItems(maxItems);
  }
  return new NdjsonBody(body, maxDepth);
}

/** moreNewlinesThan over UTF-8 bytes (a newline is one byte, 10, and no other character holds that byte). */
function moreNewlineBytesThan(bytes: Buffer, limit: number): boolean {
  if (bytes.length <= limit) return false;
  let count = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) if (++count > limit) return true;
  return false;
}

/** ndjsonLines over UTF-8 bytes: a byte past ASCII belongs to a character that is not a blank there either. */
function ndjsonLineBytes(bytes: Buffer, limit: number): number {
  let lines = 0;
  let content = false;
  for (let i = 0; i <= bytes.length; i++) {
    const c = i < bytes.length ? bytes[i] : 10;
    if (c === 10 /* \n */) {
      if (content && ++lines > limit) return lines;
      content = false;
    } else if (c !== 32 && c !== 9 && c !== 13) content = true;
  }
  return lines;
}

const STEP_CHECK_CHARS = 65_536;
/** What a line costs beyond its characters, in characters: short lines still reach a check. */
const STEP_LINE_COST = STEP_CHECK_CHARS / STEP_CHECK_ITEMS;

/** One NDJSON line as an item, or as the reason it cannot be read; undefined for a blank line. */
function parseLine(line: string, maxDepth: number): BodyItem | undefined {
  if (line.trim() === '') return undefined;
  if (nestsDeeperThan(line, maxDepth)) return { error: 'too_deep' };
  try {
    return { value: JSON.parse(line) };
  } catch {
    return { error: 'invalid_json' };
  }
}
