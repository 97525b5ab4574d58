import { lexTemplate } from './jinja-rewrite.js';
import type { Literal, StaticMacro } from './static-renderer.js';

/**
 * The static path for macros with a little logic — the generic tests of a project
 * (`accepted_range`, `expression_is_true`, `accepted_values`, …): a `{% test %}` or `{% macro %}`
 * block whose Jinja is only `{% if %}`/`{% elif %}`/`{% else %}`, `{% for x in list %}` (with
 * `loop.first/last/index/index0/length`), `{% set x = … %}` outside loops, comments, whitespace
 * control, and expressions over its parameters: literals, `not`/`and`/`or`, `is [not] none`,
 * `==`/`!=`, `x if c [else y]`, `~`, `+` of lists, strings or integers, and the filters `replace`,
 * `join`, `lower`, `upper`. It is expanded here with the call's literal arguments, producing the
 * same text as the template engine byte for byte (`static-test-macro.test.ts` renders every kind
 * both ways). Anything else — a call, another filter or test, a float, a value whose printed form
 * is not certain — makes the parse or the expansion give up, and the engine renders the node.
 *
 * @example
 * const macro = parseStaticTestMacro(
 *   "{% test t(model, c, min=none) %}select * from {{ model }}{% if min is not none %} where {{ c }} < {{ min }}{% endif %}{% endtest %}",
 * );
 * macro?.expand?.([], new Map([['c', 'x'], ['min', 3], ['model', nestedRef]])); // 'select * from ⟦0:rel⟧ where x < 3'
 */
export function parseStaticTestMacro(text: string): StaticMacro | undefined {
  // Whitespace trimming and printing are only certain for ASCII text; other files take the engine.
  if (!printableAscii(text)) return undefined;
  try {
    const tokens = tokenize(text);
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    if (tokens.length < 2 || first?.kind !== 'stmt' || last?.kind !== 'stmt') return undefined;
    const head = new ExprParser(first.src);
    const kind = head.word();
    if (kind !== 'test' && kind !== 'macro') return undefined;
    const name = head.word();
    if (!name) return undefined;
    const params = head.params();
    head.end();
    if (new ExprParser(last.src).word() !== `end${kind}` || !/^\s*end\w+\s*$/.test(last.src))
      return undefined;
    const body = new BodyParser(tokens.slice(1, -1)).parse();
    const names = params.map((p) => p.name);
    const macro: StaticMacro = {
      params: params.map((p) => ({ name: p.name })),
      parts: [],
      expand: (args, kwargs) => expand(names, params, body, args, kwargs),
    };
    return macro;
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

/** Tabs, line ends and printable ASCII only. */
function printableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e || (c < 0x20 && (c < 0x09 || c > 0x0d))) return false;
  }
  return true;
}

/** Thrown (and caught in this file) when only the engine can tell. */
class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

/** A value in an expansion. `undef` is what `x if false` (no else) yields: it prints as ''. */
type Value = string | number | boolean | null | Value[] | Map<string, Value> | Relation | typeof undef;
const undef = Symbol('undefined');
class Relation {
  constructor(readonly printed: string) {}
}

// ---------------------------------------------------------------------------------------------
// Tokens of the template: text, `{{ … }}`, `{% … %}`, `{# … #}`, with whitespace control applied.

type Token = { kind: 'text'; text: string } | { kind: 'expr' | 'stmt'; src: string };

function tokenize(text: string): Token[] {
  const segments = lexTemplate(text) ?? giveUp();
  const raw = segments.map((segment) => {
    if (segment.kind === 'text') {
      // lexTemplate keeps a `{% raw %}…{% endraw %}` block as one text segment, tags included.
      if (segment.text.startsWith('{%')) giveUp();
      return { kind: 'text' as const, src: segment.text, left: false, right: false };
    }
    if (segment.kind === 'comment') {
      const left = segment.text[2] === '-';
      const right = segment.text.length >= (left ? 6 : 5) && segment.text.at(-3) === '-';
      return { kind: 'comment' as const, src: '', left, right };
    }
    const { open = '', close = '', body = '' } = segment;
    if (open.endsWith('+') || close.startsWith('+')) giveUp();
    const kind = segment.kind === 'expr' ? ('expr' as const) : ('stmt' as const);
    return { kind, src: body, left: open.endsWith('-'), right: close.startsWith('-') };
  });
  const tokens: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    const token = raw[i] as (typeof raw)[number];
    if (token.kind === 'text') {
      let value = token.src;
      if (raw[i - 1]?.right) value = value.replace(/^\s+/, '');
      if (raw[i + 1]?.left) value = value.replace(/\s+$/, '');
      if (value !== '') tokens.push({ kind: 'text', text: value });
    } else if (token.kind !== 'comment') tokens.push({ kind: token.kind, src: token.src });
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Statements.

type Expr =
  | { op: 'lit'; value: Value }
  | { op: 'name'; name: string }
  | { op: 'attr'; of: Expr; name: string }
  | { op: 'list'; items: Expr[] }
  | { op: 'not'; of: Expr }
  | { op: 'and' | 'or' | '==' | '!=' | '~' | '+'; a: Expr; b: Expr }
  | { op: 'isnone'; of: Expr; negated: boolean }
  | { op: 'if'; then: Expr; cond: Expr; otherwise?: Expr }
  | { op: 'filter'; of: Expr; name: string; args: Expr[] };

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'print'; expr: Expr }
  | { kind: 'if'; branches: { cond: Expr; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'for'; target: string; iter: Expr; body: Node[] }
  | { kind: 'set'; name: string; expr: Expr };

class BodyParser {
  #at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node[] {
    const nodes = this.#block(new Set(), false);
    if (this.#at !== this.tokens.length) giveUp();
    return nodes;
  }

  /** Nodes up to (not including) a statement whose keyword is in `stops`. */
  #block(stops: Set<string>, inLoop: boolean): Node[] {
    const nodes: Node[] = [];
    while (this.#at < this.tokens.length) {
      const token = this.tokens[this.#at] as Token;
      if (token.kind === 'text') {
        nodes.push({ kind: 'text', text: token.text });
        this.#at++;
        continue;
      }
      if (token.kind === 'expr') {
        const parser = new ExprParser(token.src);
        const expr = parser.expression();
        parser.end();
        nodes.push({ kind: 'print', expr });
        this.#at++;
        continue;
      }
      const parser = new ExprParser(token.src);
      const keyword = parser.word();
      if (keyword && stops.has(keyword)) return nodes;
      this.#at++;
      if (keyword === 'if') {
        const branches = [{ cond: parser.expression(), body: [] as Node[] }];
        parser.end();
        let otherwise: Node[] = [];
        for (;;) {
          const body = this.#block(new Set(['elif', 'else', 'endif']), inLoop);
          (branches[branches.length - 1] as { body: Node[] }).body = body;
          const stop = new ExprParser((this.tokens[this.#at] as { src: string }).src);
          const word = stop.word();
          this.#at++;
          if (word === 'elif') {
            branches.push({ cond: stop.expression(), body: [] });
            stop.end();
            continue;
          }
          stop.end();
          if (word === 'else') {
            otherwise = this.#block(new Set(['endif']), inLoop);
            const endif = new ExprParser((this.tokens[this.#at] as { src: string }).src);
            if (endif.word() !== 'endif') giveUp();
            endif.end();
            this.#at++;
          }
          break;
        }
        nodes.push({ kind: 'if', branches, otherwise });
      } else if (keyword === 'for') {
        const target = parser.word();
        if (!target || parser.word() !== 'in') giveUp();
        const iter = parser.expression();
        parser.end();
        const body = this.#block(new Set(['endfor', 'else']), true);
        const stop = new ExprParser((this.tokens[this.#at] as { src: string }).src);
        if (stop.word() !== 'endfor') giveUp();
        stop.end();
        this.#at++;
        nodes.push({ kind: 'for', target: target as string, iter, body });
      } else if (keyword === 'set' && !inLoop) {
        const name = parser.word();
        if (!name || !parser.eat('=')) giveUp();
        const expr = parser.expression();
        parser.end();
        nodes.push({ kind: 'set', name: name as string, expr });
      } else {
        giveUp();
      }
    }
    if (stops.size > 0) giveUp();
    return nodes;
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions: a small recursive-descent parser with Jinja's precedence.

const reservedWords = new Set(['and', 'or', 'not', 'is', 'in', 'if', 'else', 'none', 'None', 'true']);
const filters = new Set(['replace', 'join', 'lower', 'upper']);

class ExprParser {
  #at = 0;
  constructor(private readonly src: string) {}

  #space(): void {
    while (this.#at < this.src.length && /\s/.test(this.src[this.#at] as string)) this.#at++;
  }

  peekWord(): string | undefined {
    this.#space();
    return /^[A-Za-z_]\w*/.exec(this.src.slice(this.#at))?.[0];
  }

  word(): string | undefined {
    const word = this.peekWord();
    if (word) this.#at += word.length;
    return word;
  }

  #peek(token: string): boolean {
    this.#space();
    return this.src.startsWith(token, this.#at);
  }

  eat(token: string): boolean {
    if (!this.#peek(token)) return false;
    // `=` is not `==`, `!` alone is nothing we read
    if (token === '=' && this.src[this.#at + 1] === '=') return false;
    this.#at += token.length;
    return true;
  }

  #keyword(word: string): boolean {
    if (this.peekWord() !== word) return false;
    this.#at += word.length;
    return true;
  }

  end(): void {
    this.#space();
    if (this.#at !== this.src.length) giveUp();
  }

  /** `(a, b=literal, …)` of a macro or test: parameter names and literal defaults. */
  params(): { name: string; fallback?: Value }[] {
    const params: { name: string; fallback?: Value }[] = [];
    if (!this.eat('(')) giveUp();
    if (this.eat(')')) return params;
    for (;;) {
      const name = this.word();
      if (!name || reservedWords.has(name) || macroReserved.has(name) || params.some((p) => p.name === name))
        giveUp();
      if (this.eat('=')) {
        const value = this.expression();
        if (!isLiteral(value)) giveUp();
        params.push({ name: name as string, fallback: evaluate(value, new Map()) });
      } else {
        if (params.some((p) => 'fallback' in p)) giveUp();
        params.push({ name: name as string });
      }
      if (this.eat(')')) return params;
      if (!this.eat(',')) giveUp();
    }
  }

  expression(): Expr {
    const then = this.#or();
    if (!this.#keyword('if')) return then;
    const cond = this.#or();
    if (!this.#keyword('else')) return { op: 'if', then, cond };
    return { op: 'if', then, cond, otherwise: this.expression() };
  }

  #or(): Expr {
    let a = this.#and();
    while (this.#keyword('or')) a = { op: 'or', a, b: this.#and() };
    return a;
  }

  #and(): Expr {
    let a = this.#not();
    while (this.#keyword('and')) a = { op: 'and', a, b: this.#not() };
    return a;
  }

  #not(): Expr {
    if (this.#keyword('not')) return { op: 'not', of: this.#not() };
    return this.#compare();
  }

  #compare(): Expr {
    const a = this.#plus();
    for (const op of ['==', '!='] as const) if (this.eat(op)) return { op, a, b: this.#plus() };
    if (this.#peek('<') || this.#peek('>') || this.peekWord() === 'in') giveUp();
    if (this.peekWord() === 'not') giveUp();
    return a;
  }

  #plus(): Expr {
    let a = this.#concat();
    for (;;) {
      if (this.#peek('-')) giveUp();
      if (!this.eat('+')) return a;
      a = { op: '+', a, b: this.#concat() };
    }
  }

  #concat(): Expr {
    let a = this.#unary();
    for (;;) {
      if (this.#peek('*') || this.#peek('/') || this.#peek('%')) giveUp();
      if (!this.eat('~')) return a;
      a = { op: '~', a, b: this.#unary() };
    }
  }

  #unary(): Expr {
    if (this.#peek('-')) giveUp();
    let node = this.#primary();
    for (;;) {
      if (this.eat('.')) {
        // only `loop.first` and the like; other attributes are the engine's business
        const name = this.word();
        if (!name || this.#peek('(') || node.op !== 'name' || node.name !== 'loop') giveUp();
        node = { op: 'attr', of: node, name: name as string };
      } else if (this.#peek('[') || this.#peek('(')) {
        giveUp();
      } else break;
    }
    for (;;) {
      if (this.eat('|')) {
        const name = this.word();
        if (!name || !filters.has(name)) giveUp();
        const args: Expr[] = [];
        if (this.eat('(')) {
          if (!this.eat(')')) {
            for (;;) {
              args.push(this.expression());
              if (this.eat(')')) break;
              if (!this.eat(',')) giveUp();
            }
          }
        }
        node = { op: 'filter', of: node, name: name as string, args };
      } else if (this.peekWord() === 'is') {
        this.word();
        const negated = this.#keyword('not');
        const test = this.word();
        if (test !== 'none' && test !== 'None') giveUp();
        node = { op: 'isnone', of: node, negated };
      } else return node;
    }
  }

  #primary(): Expr {
    this.#space();
    const c = this.src[this.#at];
    if (c === "'" || c === '"') {
      const end = this.src.indexOf(c, this.#at + 1);
      if (end < 0) giveUp();
      const value = this.src.slice(this.#at + 1, end);
      if (value.includes('\\')) giveUp();
      this.#at = end + 1;
      return { op: 'lit', value };
    }
    if (this.eat('(')) {
      const inner = this.expression();
      if (this.eat(',')) giveUp(); // a tuple
      if (!this.eat(')')) giveUp();
      return inner;
    }
    if (this.eat('[')) {
      const items: Expr[] = [];
      if (this.eat(']')) return { op: 'list', items };
      for (;;) {
        items.push(this.expression());
        if (this.eat(']')) return { op: 'list', items };
        if (!this.eat(',')) giveUp();
      }
    }
    const number = /^\d+(?![\w.])/.exec(this.src.slice(this.#at));
    if (number) {
      const value = Number(number[0]);
      if (!Number.isSafeInteger(value)) giveUp();
      this.#at += number[0].length;
      return { op: 'lit', value };
    }
    const word = this.word();
    if (!word) return giveUp();
    if (word === 'true' || word === 'True') return { op: 'lit', value: true };
    if (word === 'false' || word === 'False') return { op: 'lit', value: false };
    if (word === 'none' || word === 'None') return { op: 'lit', value: null };
    if (reservedWords.has(word)) giveUp();
    return { op: 'name', name: word };
  }
}

/** Names Jinja gives a meaning inside a macro: a parameter so named takes the engine path. */
const macroReserved = new Set(['caller', 'varargs', 'kwargs', 'loop', 'self']);

const isLiteral = (expr: Expr): boolean =>
  expr.op === 'lit' || (expr.op === 'list' && expr.items.every(isLiteral));

// ---------------------------------------------------------------------------------------------
// Expansion.

function expand(
  names: string[],
  params: { name: string; fallback?: Value }[],
  body: Node[],
  args: Literal[],
  kwargs: Map<string, Literal> | undefined,
): string | undefined {
  if (args.length > params.length) return undefined;
  const scope = new Map<string, Value>();
  try {
    args.forEach((arg, i) => {
      scope.set(names[i] as string, fromLiteral(arg));
    });
    for (const [key, value] of kwargs ?? []) {
      const index = names.indexOf(key);
      if (index < 0 || index < args.length) return undefined;
      scope.set(key, fromLiteral(value));
    }
    for (const param of params) {
      if (scope.has(param.name)) continue;
      if (!('fallback' in param)) return undefined;
      scope.set(param.name, param.fallback as Value);
    }
    return run(body, scope);
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

function fromLiteral(value: Literal): Value {
  if (Array.isArray(value)) return value.map(fromLiteral);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, fromLiteral(v)]));
  if (typeof value === 'object' && value !== null) {
    // a nested ref()/source(): what it printed (the relation's token)
    const printed = (value as { printed?: string }).printed;
    return printed === undefined ? giveUp() : new Relation(printed);
  }
  return value;
}

function run(nodes: Node[], scope: Map<string, Value>): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'print':
        out += printed(evaluate(node.expr, scope));
        break;
      case 'set':
        scope.set(node.name, evaluate(node.expr, scope));
        break;
      case 'if': {
        const branch = node.branches.find((b) => truthy(evaluate(b.cond, scope)));
        out += run(branch ? branch.body : node.otherwise, scope);
        break;
      }
      case 'for': {
        const items = evaluate(node.iter, scope);
        if (!Array.isArray(items)) return giveUp();
        items.forEach((item, index) => {
          const inner = new Map(scope);
          inner.set(node.target, item);
          inner.set(
            'loop',
            new Map<string, Value>([
              ['first', index === 0],
              ['last', index === items.length - 1],
              ['index', index + 1],
              ['index0', index],
              ['length', items.length],
            ]),
          );
          out += run(node.body, inner);
        });
        break;
      }
    }
  }
  return out;
}

function evaluate(expr: Expr, scope: Map<string, Value>): Value {
  switch (expr.op) {
    case 'lit':
      return expr.value;
    case 'name':
      return scope.has(expr.name) ? (scope.get(expr.name) as Value) : giveUp();
    case 'attr': {
      // only `loop.x` (a map made above); other attributes are the engine's business
      if (expr.of.op !== 'name' || expr.of.name !== 'loop') return giveUp();
      const loop = evaluate(expr.of, scope);
      return loop instanceof Map && loop.has(expr.name) ? (loop.get(expr.name) as Value) : giveUp();
    }
    case 'list':
      return expr.items.map((item) => evaluate(item, scope));
    case 'not':
      return !truthy(evaluate(expr.of, scope));
    case 'and': {
      const a = evaluate(expr.a, scope);
      return truthy(a) ? evaluate(expr.b, scope) : a;
    }
    case 'or': {
      const a = evaluate(expr.a, scope);
      return truthy(a) ? a : evaluate(expr.b, scope);
    }
    case '==':
    case '!=': {
      const a = evaluate(expr.a, scope);
      const b = evaluate(expr.b, scope);
      const plain = (v: Value) =>
        typeof v === 'string' || v === null || (typeof v === 'number' && Number.isSafeInteger(v));
      if (!plain(a) || !plain(b)) return giveUp();
      return (a === b) === (expr.op === '==');
    }
    case '~':
      return text(evaluate(expr.a, scope)) + text(evaluate(expr.b, scope));
    case '+': {
      const a = evaluate(expr.a, scope);
      const b = evaluate(expr.b, scope);
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (isInt(a) && isInt(b) && Number.isSafeInteger(a + b)) return a + b;
      return giveUp();
    }
    case 'isnone': {
      const value = evaluate(expr.of, scope);
      if (value === undef) return giveUp();
      return (value === null) !== expr.negated;
    }
    case 'if':
      if (truthy(evaluate(expr.cond, scope))) return evaluate(expr.then, scope);
      return expr.otherwise ? evaluate(expr.otherwise, scope) : undef;
    case 'filter':
      return filter(
        expr.name,
        evaluate(expr.of, scope),
        expr.args.map((a) => evaluate(a, scope)),
      );
  }
}

const isInt = (v: Value): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function filter(name: string, value: Value, args: Value[]): Value {
  if (name === 'replace') {
    const [from, to] = args;
    if (args.length !== 2 || typeof from !== 'string' || typeof to !== 'string' || from === '')
      return giveUp();
    return text(value).split(from).join(to);
  }
  if (name === 'join') {
    if (args.length > 1 || !Array.isArray(value)) return giveUp();
    const separator = args[0] ?? '';
    if (typeof separator !== 'string') return giveUp();
    return value.map(text).join(separator);
  }
  // case mapping of non-ASCII text differs between engines
  if (args.length > 0 || typeof value !== 'string' || !/^[ -~]*$/.test(value)) return giveUp();
  return name === 'lower' ? value.toLowerCase() : value.toUpperCase();
}

/** Jinja's truth of a value (a relation or an undefined value: the engine decides). */
function truthy(value: Value): boolean {
  if (value === undef || value instanceof Relation) return giveUp();
  if (value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return giveUp();
  return Boolean(value);
}

/** A value as `~`, `replace` and `join` turn it into a string (minijinja's own form: `true`, `none`). */
function text(value: Value): string {
  if (typeof value === 'string') return value;
  if (isInt(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'none';
  return giveUp();
}

/** What `{{ value }}` prints (Python's forms: `True`, `None`; '' for an undefined value). */
function printed(value: Value): string {
  if (value === undef) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  if (value instanceof Relation) return value.printed;
  return text(value);
}
