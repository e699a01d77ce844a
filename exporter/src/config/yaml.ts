// Parses a YAML file against a zod schema; every error names the file, the line and the key.
import type { LineCounter, Node } from 'yaml';
import { yaml } from '../util/commonjs.ts';
import type { z } from 'zod';

export interface YamlErrorStyle {
  /** Quote the YAML parser's message (it may repeat the text around the error: off for secrets). */
  quoteParserMessage: boolean;
}

export function parseYamlWith<S extends z.ZodType>(
  text: string,
  fileName: string,
  schema: S,
  fail: (message: string) => Error,
  style: YamlErrorStyle = { quoteParserMessage: true },
): z.infer<S> {
  const { LineCounter, parseDocument, visit } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const { line, col } = lineCounter.linePos(err.pos[0]);
    const why = style.quoteParserMessage ? `: ${err.message.split('\n')[0]}` : ` (${err.code})`;
    throw fail(`${fileName}:${line}:${col}: invalid YAML${why}`);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (err) {
    // yaml refuses to expand aliases past a budget (an alias bomb): say where the aliases are.
    let line = 1;
    visit(doc, {
      Alias(_key, node) {
        if (node.range) line = lineCounter.linePos(node.range[0]).line;
        return visit.BREAK;
      },
    });
    const why = isAliasBudget(err) ? 'too many alias expansions (a YAML alias bomb?)' : (err as Error).message;
    throw fail(`${fileName}:${line}: invalid YAML: ${why}`);
  }
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const at = keys.length > 0 ? [...path, keys[0]] : path;
    const line = lineOf(doc.contents as Node | null, at, lineCounter);
    const key = [...path, ...keys].join('.') || '(top level)';
    return `${fileName}:${line}: ${key}: ${issue.message}`;
  });
  throw fail(messages.join('\n'));
}

/** The line of the deepest YAML node that exists along `path`. */
function lineOf(root: Node | null, path: string[], counter: LineCounter): number {
  const { isMap, isSeq } = yaml();
  let node: Node | null = root;
  let offset = root?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown })?.value) === key);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return counter.linePos(offset).line;
}

function isAliasBudget(err: unknown): boolean {
  return err instanceof ReferenceError && /alias/i.test(err.message);
}
