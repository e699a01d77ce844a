// Turns an ingest body into items, one per record. A JSON body that cannot be parsed as a whole
// is refused; a bad NDJSON line costs only that line.

export interface BodyItem {
  value?: unknown;
  /** Why this item could not be read; the record is then rejected with this reason. */
  error?: string;
}

export class BodyError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
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

export function parseJsonBody(text: string, maxDepth: number): BodyItem[] {
  if (nestingDepth(text, maxDepth) > maxDepth) {
    throw new BodyError(`body nests deeper than ${maxDepth} levels`, 'too_deep');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BodyError(`invalid JSON: ${(err as Error).message}`, 'invalid_json');
  }
  return Array.isArray(value) ? value.map((item) => ({ value: item })) : [{ value }];
}

export function parseNdjsonBody(text: string, maxDepth: number): BodyItem[] {
  const items: BodyItem[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (nestingDepth(line, maxDepth) > maxDepth) {
      items.push({ error: 'too_deep' });
      continue;
    }
    try {
      items.push({ value: JSON.parse(line) });
    } catch {
      items.push({ error: 'invalid_json' });
    }
  }
  return items;
}
