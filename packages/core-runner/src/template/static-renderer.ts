import { renderRelations } from './relation-value.js';
import type { RenderScope } from './render-scope.js';

/** The context calls a static template may make; anything else goes to the template engine. */
const staticCalls = new Set(['ref', 'source', 'config', 'var']);

export type Literal = string | number | boolean | Literal[] | Map<string, Literal> | NestedCall;

/** `ref(...)` / `source(...)` written as a macro's argument (a generic test's `model=ref('x')`). */
class NestedCall {
  printed: string | undefined;
  constructor(
    readonly name: string,
    readonly args: Literal[],
  ) {}
}

/**
 * A macro simple enough to expand without the engine: its body is plain text and `{{ param }}`
 * prints only, and its defaults are string or integer literals. `parts` alternates text and the
 * index of the parameter printed there.
 */
export interface StaticMacro {
  params: { name: string; fallback?: string }[];
  parts: (string | number)[];
  /**
   * A macro with a little logic (static-test-renderer.ts): its output for the call's arguments,
   * or undefined when only the engine can tell; `parts` is unused then.
   */
  expand?: (args: Literal[], kwargs: Map<string, Literal> | undefined) => string | undefined;
}

/** Names Jinja gives a meaning inside a macro: a parameter so named takes the engine path. */
const macroReserved = new Set(['caller', 'varargs', 'kwargs', 'loop', 'self']);
const macroBlock =
  /^\{%-?\s*(macro|test)\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*(-?)%\}([\s\S]*)\{%(-?)\s*end(macro|test)\s*-?%\}$/;

/**
 * The static form of one `{% macro %}` (or `{% test %}`) block's text, or undefined when the
 * macro does anything but print its parameters: a statement, a filter, an expression, a global,
 * whitespace control inside the body, a default that is not a string or an integer.
 *
 * @example
 * parseStaticMacro('{% macro cents(col, scale=2) -%}\nround({{ col }}, {{ scale }})\n{%- endmacro %}');
 * // → { params: [{ name: 'col' }, { name: 'scale', fallback: '2' }], parts: ['round(', 0, ', ', 1, ')'] }
 */
export function parseStaticMacro(text: string): StaticMacro | undefined {
  const match = macroBlock.exec(text);
  if (!match || match[1] !== match[7]) return undefined;
  const [, , , paramText, trimStart, rawBody, trimEnd] = match as unknown as string[];
  const reader = new LiteralReader(paramText as string);
  const params: StaticMacro['params'] = [];
  reader.space();
  while (!reader.done()) {
    const name = reader.identifier();
    if (!name || macroReserved.has(name) || params.some((p) => p.name === name)) return undefined;
    reader.space();
    let fallback: string | undefined;
    if (reader.eat('=')) {
      reader.space();
      const value = reader.literal();
      fallback = value === undefined ? undefined : printable(value);
      if (fallback === undefined) return undefined;
    } else if (params.some((p) => p.fallback !== undefined)) return undefined;
    params.push({ name, ...(fallback === undefined ? {} : { fallback }) });
    reader.space();
    if (reader.done()) break;
    if (!reader.eat(',')) return undefined;
    reader.space();
  }
  let body = rawBody as string;
  // `-%}` / `{%-` strip the whitespace next to the tag; only plain ASCII whitespace is stripped here.
  if (trimStart) {
    const lead = /^\s*/.exec(body)?.[0] ?? '';
    if (!/^[ \t\r\n]*$/.test(lead)) return undefined;
    body = body.slice(lead.length);
  }
  if (trimEnd) {
    const tail = /\s*$/.exec(body)?.[0] ?? '';
    if (!/^[ \t\r\n]*$/.test(tail)) return undefined;
    body = body.slice(0, body.length - tail.length);
  }
  if (body.includes('{%') || body.includes('{#')) return undefined;
  const parts: StaticMacro['parts'] = [];
  let at = 0;
  for (;;) {
    const open = body.indexOf('{{', at);
    if (open < 0) break;
    const close = body.indexOf('}}', open + 2);
    if (close < 0) return undefined;
    const name = /^\s*([A-Za-z_]\w*)\s*$/.exec(body.slice(open + 2, close))?.[1];
    const index = params.findIndex((p) => p.name === name);
    if (index < 0) return undefined;
    parts.push(body.slice(at, open), index);
    at = close + 2;
  }
  parts.push(body.slice(at));
  return { params, parts };
}

/** What minijinja prints for an argument value, when it is one the static path prints the same. */
function printable(value: Literal): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (value instanceof NestedCall) return value.printed;
  return undefined;
}

/** The macro's output for these arguments, or undefined when a call would fail (the engine says how). */
function expandMacro(
  macro: StaticMacro,
  args: Literal[],
  kwargs: Map<string, Literal> | undefined,
): string | undefined {
  if (macro.expand) return macro.expand(args, kwargs);
  if (args.length > macro.params.length) return undefined;
  const values: (string | undefined)[] = macro.params.map((p, i) =>
    i < args.length ? printable(args[i] as Literal) : p.fallback,
  );
  for (let i = 0; i < args.length; i++) if (values[i] === undefined) return undefined;
  for (const [key, value] of kwargs ?? []) {
    const index = macro.params.findIndex((p) => p.name === key);
    if (index < 0 || index < args.length) return undefined;
    const printed = printable(value);
    if (printed === undefined) return undefined;
    values[index] = printed;
  }
  if (values.some((v) => v === undefined)) return undefined;
  let output = '';
  for (const part of macro.parts) output += typeof part === 'string' ? part : values[part];
  return output;
}

/**
 * dbt's static parser, for the common case: a template whose only Jinja is `{{ ref(...) }}`,
 * `{{ source(...) }}`, `{{ config(...) }}` and `{{ var(...) }}` with literal arguments (plus
 * `{# comments #}` and plain text) is rendered here, without the template engine, calling the
 * same scope the engine would and producing the same text byte for byte. Anything else — a
 * `{% %}` statement, whitespace control, a filter, a macro call, an expression, a `var` whose value
 * is not a string or an integer, a scope error — returns `undefined` and the caller renders the
 * template with the engine. `shadowed` names a context function a macro of the layer overrides.
 *
 * @example
 * renderStatic("select * from {{ ref('orders') }}", scope); // → 'select * from ⟦0:rel⟧'
 * renderStatic('{% if x %}…{% endif %}', scope);            // → undefined (needs the engine)
 */
export function renderStatic(
  source: string,
  scope: RenderScope,
  shadowed: (name: string) => boolean = () => false,
  macroOf: (name: string) => StaticMacro | undefined = () => undefined,
): string | undefined {
  if (source.includes('{%')) return undefined;
  const calls: {
    start: number;
    end: number;
    name: string;
    args: Literal[];
    kwargs?: Map<string, Literal>;
    nested?: NestedCall[];
    macro?: StaticMacro;
  }[] = [];
  let at = 0;
  for (;;) {
    const open = source.indexOf('{', at);
    if (open < 0) break;
    const next = source[open + 1];
    if (next === '#') {
      const close = source.indexOf('#}', open + 2);
      if (close < 0 || source[open + 2] === '-' || source[close - 1] === '-') return undefined;
      calls.push({ start: open, end: close + 2, name: '', args: [] });
      at = close + 2;
      continue;
    }
    if (next !== '{') {
      at = open + 1;
      continue;
    }
    const close = source.indexOf('}}', open + 2);
    if (close < 0) return undefined;
    const call = parseCall(source.slice(open + 2, close));
    if (!call) return undefined;
    if (staticCalls.has(call.name)) {
      if (shadowed(call.name) || call.nested) return undefined;
      calls.push({ start: open, end: close + 2, ...call });
    } else {
      const macro = macroOf(call.name);
      if (!macro) return undefined;
      for (const nested of call.nested ?? []) if (shadowed(nested.name)) return undefined;
      calls.push({ start: open, end: close + 2, ...call, macro });
    }
    at = close + 2;
  }
  if (calls.length === 0) return renderRelations(source);
  let output = '';
  let last = 0;
  for (const call of calls) {
    output += source.slice(last, call.start);
    last = call.end;
    if (call.name === '') continue;
    if (call.macro) {
      // Arguments are evaluated left to right, as the engine does: nested refs get their keys in order.
      for (const nested of call.nested ?? []) {
        nested.printed = callScope(scope, nested.name, nested.args, nested.args.length, undefined);
        if (nested.printed === undefined || scope.errors.length > 0) return undefined;
      }
      const printed = expandMacro(call.macro, call.args, call.kwargs);
      if (printed === undefined) return undefined;
      output += printed;
      continue;
    }
    const args: unknown[] = call.kwargs ? [...call.args, call.kwargs] : call.args;
    const printed = callScope(scope, call.name, args, call.args.length, call.kwargs);
    if (printed === undefined || scope.errors.length > 0) return undefined;
    output += printed;
  }
  return renderRelations(output + source.slice(last));
}

/** What `{{ name(args) }}` prints, or undefined when only the engine can say. */
function callScope(
  scope: RenderScope,
  name: string,
  args: unknown[],
  positional: number,
  kwargs: Map<string, Literal> | undefined,
): string | undefined {
  const strings = args.every((a) => typeof a === 'string');
  if (name === 'ref' || name === 'source') {
    if (kwargs || !strings || positional < 1 || positional > 2) return undefined;
    if (name === 'source' && positional !== 2) return undefined;
    const relation = name === 'ref' ? scope.ref(args) : scope.source(args);
    return typeof relation === 'string' ? relation : relation.__relation__;
  }
  if (name === 'config') return positional > 0 ? undefined : scope.config(args);
  // var: the name and an optional default; only values minijinja prints exactly as JS does.
  if (kwargs || positional < 1 || positional > 2 || typeof args[0] !== 'string') return undefined;
  const value = scope.var(args);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** `name(arg, …, key=arg, …)` with literal arguments, or undefined. */
function parseCall(
  text: string,
): { name: string; args: Literal[]; kwargs?: Map<string, Literal>; nested?: NestedCall[] } | undefined {
  const reader = new LiteralReader(text, true);
  reader.space();
  const name = reader.identifier();
  if (!name) return undefined;
  reader.space();
  if (!reader.eat('(')) return undefined;
  const args: Literal[] = [];
  let kwargs: Map<string, Literal> | undefined;
  reader.space();
  if (!reader.eat(')')) {
    for (;;) {
      reader.space();
      const mark = reader.at;
      const key = reader.identifier();
      reader.space();
      if (key && reader.peek('=') && !reader.peek('==')) {
        reader.eat('=');
        reader.space();
        const value = reader.literal();
        if (value === undefined) return undefined;
        kwargs ??= new Map();
        if (kwargs.has(key)) return undefined;
        kwargs.set(key, value);
      } else {
        reader.at = mark;
        if (kwargs) return undefined;
        const value = reader.literal();
        if (value === undefined) return undefined;
        args.push(value);
      }
      reader.space();
      if (reader.eat(')')) break;
      if (!reader.eat(',')) return undefined;
    }
  }
  reader.space();
  if (!reader.done()) return undefined;
  const nested = reader.nested.length > 0 ? { nested: reader.nested } : {};
  return { name, args, ...(kwargs ? { kwargs: sorted(kwargs) } : {}), ...nested };
}

/** minijinja hands keyword arguments and dicts over with their keys in sorted order. */
const sorted = (map: Map<string, Literal>): Map<string, Literal> =>
  new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const whitespace = /\s/;
const identifierAt = /[A-Za-z_]\w*/y;
const integerAt = /-?\d+(?![\w.])/y;

/**
 * A small reader of Jinja literals: quoted strings without escapes, integers, booleans, lists,
 * dicts; with `calls`, also `ref(...)` / `source(...)` of string literals as top-level arguments
 * (collected in `nested`, in the order they are written).
 */
class LiteralReader {
  at = 0;
  readonly nested: NestedCall[] = [];
  constructor(
    private readonly text: string,
    private readonly calls = false,
  ) {}

  space(): void {
    const text = this.text;
    for (;;) {
      const code = text.charCodeAt(this.at);
      // ASCII whitespace by its code; anything else past ASCII as the regex `\s` decides
      if (
        code === 32 ||
        (code >= 9 && code <= 13) ||
        (code > 127 && whitespace.test(text[this.at] as string))
      )
        this.at++;
      else return;
    }
  }

  peek(token: string): boolean {
    return this.text.startsWith(token, this.at);
  }

  eat(token: string): boolean {
    if (!this.peek(token)) return false;
    this.at += token.length;
    return true;
  }

  done(): boolean {
    return this.at === this.text.length;
  }

  identifier(): string | undefined {
    identifierAt.lastIndex = this.at;
    const match = identifierAt.exec(this.text);
    if (!match) return undefined;
    this.at += match[0].length;
    return match[0];
  }

  literal(): Literal | undefined {
    const quote = this.text[this.at];
    if (quote === "'" || quote === '"') {
      const end = this.text.indexOf(quote, this.at + 1);
      if (end < 0) return undefined;
      const value = this.text.slice(this.at + 1, end);
      if (value.includes('\\')) return undefined;
      this.at = end + 1;
      return value;
    }
    if (this.eat('[')) {
      const items: Literal[] = [];
      this.space();
      if (this.eat(']')) return items;
      for (;;) {
        this.space();
        const item = this.literal();
        if (item === undefined) return undefined;
        items.push(item);
        this.space();
        if (this.eat(']')) return items;
        if (!this.eat(',')) return undefined;
      }
    }
    if (this.eat('{')) {
      const map = new Map<string, Literal>();
      this.space();
      if (this.eat('}')) return map;
      for (;;) {
        this.space();
        const key = this.literal();
        if (typeof key !== 'string' || map.has(key)) return undefined;
        this.space();
        if (!this.eat(':')) return undefined;
        this.space();
        const value = this.literal();
        if (value === undefined) return undefined;
        map.set(key, value);
        this.space();
        if (this.eat('}')) return sorted(map);
        if (!this.eat(',')) return undefined;
      }
    }
    integerAt.lastIndex = this.at;
    const number = integerAt.exec(this.text);
    if (number) {
      const value = Number(number[0]);
      if (!Number.isSafeInteger(value)) return undefined;
      this.at += number[0].length;
      return value;
    }
    const word = this.identifier();
    if (this.calls && (word === 'ref' || word === 'source')) {
      this.space();
      if (!this.eat('(')) return undefined;
      const args: Literal[] = [];
      this.space();
      if (!this.eat(')')) {
        for (;;) {
          this.space();
          const quote = this.text[this.at];
          const arg = quote === "'" || quote === '"' ? this.literal() : undefined;
          if (typeof arg !== 'string') return undefined;
          args.push(arg);
          this.space();
          if (this.eat(')')) break;
          if (!this.eat(',')) return undefined;
        }
      }
      const call = new NestedCall(word, args);
      this.nested.push(call);
      return call;
    }
    if (word === 'true' || word === 'True') return true;
    if (word === 'false' || word === 'False') return false;
    return undefined;
  }
}

/** Words a Jinja parser reads as its own: a macro or parameter so named is left to the engine. */
const jinjaWords = new Set([
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
  'and',
  'or',
  'not',
  'in',
  'is',
  'if',
  'else',
  'elif',
  'for',
  'macro',
  'call',
  'set',
  'block',
  'with',
  'filter',
  'raw',
  'import',
  'from',
  'include',
  'extends',
]);
const topLevelBlock = /\{%-?\s*(macro|test)\s+([A-Za-z_]\w*)\s*\(/g;

/**
 * Whether a macro file surely compiles: every block in it is a macro (or generic test) that only
 * prints its parameters (`parseStaticMacro`), and the text between blocks holds no Jinja. Such a
 * file need not be compiled by the engine just to find syntax errors it cannot have.
 *
 * @example
 * macroFileParsesStatically('{% macro m(x) %}{{ x }}{% endmacro %}\n'); // → true
 * macroFileParsesStatically('{% macro m(x) %}{% if x %}1{% endif %}{% endmacro %}'); // → false
 */
export function macroFileParsesStatically(text: string): boolean {
  let outside = '';
  let at = 0;
  topLevelBlock.lastIndex = 0;
  for (let open = topLevelBlock.exec(text); open; open = topLevelBlock.exec(text)) {
    const kind = open[1] as string;
    const closer = new RegExp(`\\{%-?\\s*end${kind}\\s*-?%\\}`, 'g');
    closer.lastIndex = open.index + open[0].length;
    const close = closer.exec(text);
    if (!close) return false;
    const end = close.index + close[0].length;
    const macro = parseStaticMacro(text.slice(open.index, end));
    if (!macro || jinjaWords.has(open[2] as string) || macro.params.some((p) => jinjaWords.has(p.name)))
      return false;
    outside += text.slice(at, open.index);
    at = end;
    topLevelBlock.lastIndex = end;
  }
  outside += text.slice(at);
  return !/\{[{%#]|[%#}]\}/.test(outside);
}
