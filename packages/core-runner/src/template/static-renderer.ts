import { renderRelations } from './relation-value.js';
import type { RenderScope } from './render-scope.js';

/** The context calls a static template may make; anything else goes to the template engine. */
const staticCalls = new Set(['ref', 'source', 'config', 'var']);

type Literal = string | number | boolean | Literal[] | Map<string, Literal>;

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
): string | undefined {
  if (source.includes('{%')) return undefined;
  const calls: {
    start: number;
    end: number;
    name: string;
    args: Literal[];
    kwargs?: Map<string, Literal>;
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
    if (!call || !staticCalls.has(call.name) || shadowed(call.name)) return undefined;
    calls.push({ start: open, end: close + 2, ...call });
    at = close + 2;
  }
  if (calls.length === 0) return renderRelations(source);
  let output = '';
  let last = 0;
  for (const call of calls) {
    output += source.slice(last, call.start);
    last = call.end;
    if (call.name === '') continue;
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
): { name: string; args: Literal[]; kwargs?: Map<string, Literal> } | undefined {
  const reader = new LiteralReader(text);
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
  return { name, args, ...(kwargs ? { kwargs: sorted(kwargs) } : {}) };
}

/** minijinja hands keyword arguments and dicts over with their keys in sorted order. */
const sorted = (map: Map<string, Literal>): Map<string, Literal> =>
  new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A small reader of Jinja literals: quoted strings without escapes, integers, booleans, lists, dicts. */
class LiteralReader {
  at = 0;
  constructor(private readonly text: string) {}

  space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at] as string)) this.at++;
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
    const match = /^[A-Za-z_]\w*/.exec(this.text.slice(this.at));
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
    const number = /^-?\d+(?![\w.])/.exec(this.text.slice(this.at));
    if (number) {
      const value = Number(number[0]);
      if (!Number.isSafeInteger(value)) return undefined;
      this.at += number[0].length;
      return value;
    }
    const word = this.identifier();
    if (word === 'true' || word === 'True') return true;
    if (word === 'false' || word === 'False') return false;
    return undefined;
  }
}
