/**
 * Finds dbt's block tags in raw files — `{% macro %}`, `{% test %}`, `{% snapshot %}`, `{% docs %}` —
 * with plain scanning, so the loader knows names and lines without rendering anything.
 */

export interface FoundBlock {
  kind: 'macro' | 'test' | 'snapshot' | 'docs' | 'materialization';
  name: string;
  /** 1-based line of the opening tag. */
  line: number;
  /** Text between the opening and closing tags. */
  body: string;
  /** Offsets of the whole block, tags included. */
  start: number;
  end: number;
}

// The tag runs to the first `%}` outside a string: a default such as `format='%H:%M'` is part of it.
const openTag =
  /\{%-?\s*(macro|test|snapshot|docs|materialization)\s+([A-Za-z_][\w]*)(?:'[^']*'|"[^"]*"|[^%'"]|%(?!\}))*?-?%\}/g;

const lineAt = (text: string, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

/** Every block in `text`, in order. Unclosed blocks are returned with `end = -1`. */
export function findBlocks(text: string): FoundBlock[] {
  const blocks: FoundBlock[] = [];
  openTag.lastIndex = 0;
  for (let match = openTag.exec(text); match; match = openTag.exec(text)) {
    const kind = match[1] as FoundBlock['kind'];
    const closer = new RegExp(`\\{%-?\\s*end${kind}\\s*-?%\\}`, 'g');
    closer.lastIndex = match.index + match[0].length;
    const close = closer.exec(text);
    blocks.push({
      kind,
      name: match[2] as string,
      line: lineAt(text, match.index),
      body: close ? text.slice(match.index + match[0].length, close.index) : '',
      start: match.index,
      end: close ? close.index + close[0].length : -1,
    });
    if (kind !== 'macro' && kind !== 'test' && close) openTag.lastIndex = close.index + close[0].length;
  }
  return blocks;
}

/**
 * Rewrites `{% test name(args) %}…{% endtest %}` as `{% macro test_name(args) %}…{% endmacro %}`,
 * which is how dbt itself stores generic tests. Line numbers are unchanged.
 *
 * `absentAsNone`: every parameter after `model` without a default gets `=none`. dbt calls a generic
 * test with the YAML's arguments only, and an argument left out is Jinja's lenient `Undefined`
 * (false, iterates as empty): dbt_expectations' grouped-recency test without `group_by`. The engine
 * renders strictly, so none stands in for it (the built-in tests keep their missing-argument error).
 */
export function testBlocksToMacros(text: string, absentAsNone = false): string {
  const renamed = text.replace(
    /\{%(-?)\s*test\s+([A-Za-z_]\w*)\s*\(/g,
    (_m, dash: string, name: string) => `{%${dash} macro test_${name}(`,
  );
  return (absentAsNone ? withNoneDefaults(renamed) : renamed).replace(
    /\{%(-?)\s*endtest\s*(-?)%\}/g,
    (_m, a: string, b: string) => `{%${a} endmacro ${b}%}`,
  );
}

/** `{% macro test_x(model, a, b=1) %}` → `{% macro test_x(model, a=none, b=1) %}` (same lines). */
function withNoneDefaults(text: string): string {
  const head = /\{%-?\s*macro\s+test_\w+\s*\(/g;
  let out = '';
  let last = 0;
  for (let m = head.exec(text); m; m = head.exec(text)) {
    const start = m.index + m[0].length;
    const params: string[] = [];
    let depth = 0;
    let quote: string | undefined;
    let from = start;
    let end = -1;
    for (let i = start; i < text.length && end < 0; i++) {
      const c = text[i] as string;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      else if (depth === 0 && (c === ',' || c === ')')) {
        params.push(text.slice(from, i));
        from = i + 1;
        if (c === ')') end = i;
      }
    }
    if (end < 0) break;
    const rewritten = params.map((p, i) =>
      i === 0 || p.includes('=') || !/^\s*[A-Za-z_]\w*\s*$/.test(p)
        ? p
        : p.replace(/(\S)(\s*)$/, '$1=none$2'),
    );
    out += text.slice(last, start) + rewritten.join(',');
    last = end;
    head.lastIndex = end;
  }
  return out + text.slice(last);
}

/**
 * The body of a `{% snapshot %}` block with the tags blanked out but newlines kept,
 * so errors inside the body report the file's own line numbers.
 */
export function snapshotBody(text: string, block: FoundBlock): string {
  const before = text.slice(0, block.start).replace(/[^\n]/g, ' ');
  const openEnd = text.indexOf('%}', block.start) + 2;
  const openTagText = text.slice(block.start, openEnd).replace(/[^\n]/g, ' ');
  return before + openTagText + block.body;
}
