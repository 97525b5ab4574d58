import { lexTemplate, type Segment } from './jinja-rewrite.js';

/**
 * minijinja has no operator overloading, so Python's date arithmetic (`d - timedelta(days=1)`,
 * `date.today() - other`, `dt < other`) cannot work on the objects `modules.datetime` hands out.
 * In a text that uses `modules.datetime`, `modules.pytz` or `timedelta`, each `+ - < <= > >= ==
 * !=` with a datetime expression on either side becomes `__py_binop__('-', a, b)`, answered in JS
 * (python-datetime.ts). A datetime expression is one that mentions those modules or a variable
 * `{% set %}` from one in the same text; other operators are left to Jinja.
 * Python methods minijinja's values lack (`list.index(x)`, `str.index(s)`, `str.format(...)`)
 * become `__py_method__(receiver, 'index', x)` (python-methods.ts); `pkg.format(...)` of a macro
 * namespace is left alone. Rewrites stay on the same line (the operator's own whitespace,
 * newlines included, is kept), so error lines stay true.
 *
 * @example
 * rewritePythonOperators("{% set s = e - modules.datetime.timedelta(days=1) %}");
 * // → "{% set s = __py_binop__('-', e, modules.datetime.timedelta(days=1)) %}"
 */
export function rewritePythonOperators(
  text: string,
  isNamespace: (name: string) => boolean = () => false,
): string {
  const dates = datetimeMarker.test(text);
  if (!dates && !methodMarker.test(text)) return text;
  const segments = lexTemplate(text);
  if (!segments) return text;
  const names = dates ? datetimeNames(segments) : new Set<string>();
  const isDatetime = (expr: string) =>
    dates &&
    (datetimeMarker.test(expr) ||
      expr.includes('__py_binop__') ||
      [...expr.matchAll(identifier)].some((m) => names.has(m[1] as string)));
  let changed = false;
  const out = segments.map((s) => {
    if (s.kind === 'text' || s.kind === 'comment') return s.text;
    const split = expressionOf(s);
    if (!split || !(isDatetime(split.expr) || methodMarker.test(split.expr))) return s.text;
    const rewritten = rewriteExpression(split.expr, isDatetime, isNamespace);
    if (rewritten === undefined || rewritten === split.expr) return s.text;
    changed = true;
    return `${split.before}${rewritten}${split.after}`;
  });
  return changed ? out.join('') : text;
}

const datetimeMarker = /\bmodules\s*\.\s*(?:datetime|pytz)\b|\btimedelta\b/;
/** Python methods minijinja lacks: `.index(` (lists, strings), `.format(` (strings). */
const pythonMethods = new Set(['index', 'format']);
const methodMarker = /\.\s*(?:index|format)\s*\(|['"]\s*%\s*[^\s%}]/;
/** A name not preceded by `.` (an attribute) and not a keyword argument's name. */
const identifier = /(?<![.\w])([A-Za-z_]\w*)\b(?!\s*=[^=])/g;

/** The expression of a `{{ }}`, or of a `{% set x = … %}` / `{% if … %}` / `elif` / `do` tag. */
function expressionOf(s: Segment): { before: string; expr: string; after: string } | undefined {
  const m =
    s.kind === 'expr'
      ? /^(\{\{[-+]?)([\s\S]*?)([-+]?\}\})$/.exec(s.text)
      : /^(\{%[-+]?\s*(?:set\s+[A-Za-z_][\w.]*\s*=(?!=)|if\b|elif\b|do\b))([\s\S]*?)([-+]?%\})$/.exec(s.text);
  if (!m) return undefined;
  return { before: m[1] as string, expr: m[2] as string, after: m[3] as string };
}

/** Variables set from a datetime expression anywhere in the text (until nothing changes). */
function datetimeNames(segments: Segment[]): Set<string> {
  const sets: [string, string][] = [];
  for (const s of segments) {
    if (s.kind !== 'tag') continue;
    const m = /^\{%[-+]?\s*set\s+([A-Za-z_]\w*)\s*=(?!=)([\s\S]*?)[-+]?%\}$/.exec(s.text);
    if (m) sets.push([m[1] as string, m[2] as string]);
  }
  const names = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, expr] of sets) {
      if (names.has(name)) continue;
      if (
        datetimeMarker.test(expr) ||
        [...expr.matchAll(identifier)].some((m) => names.has(m[1] as string))
      ) {
        names.add(name);
        changed = true;
      }
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// A Jinja expression parser that only rebuilds text (Jinja's precedence: or < and < not <
// comparisons < + - < ~ < * / // % < ** < unary < postfix, filters, tests).

interface Token {
  /** Whitespace before the token. */
  ws: string;
  text: string;
  kind: 'name' | 'string' | 'number' | 'op';
}

const tokenPattern =
  /(\s*)(?:([A-Za-z_]\w*)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)|(\*\*|\/\/|==|!=|<=|>=|[-+*/%~|.,:=()[\]{}<>]))/y;

function tokenize(expr: string): { tokens: Token[]; tail: string } | undefined {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  let at = 0;
  while (at < expr.length) {
    if (/^\s*$/.test(expr.slice(at))) break;
    tokenPattern.lastIndex = at;
    const m = tokenPattern.exec(expr);
    if (!m) return undefined;
    const [, ws, name, string, number, op] = m;
    const kind = name ? 'name' : string ? 'string' : number ? 'number' : 'op';
    tokens.push({ ws: ws ?? '', text: (name ?? string ?? number ?? op) as string, kind });
    at = tokenPattern.lastIndex;
  }
  return { tokens, tail: expr.slice(at) };
}

interface Node {
  text: string;
}

const comparisons = new Set(['==', '!=', '<', '<=', '>', '>=']);
const stopNames = new Set(['if', 'else', 'and', 'or', 'not', 'in', 'is']);

/** The expression with datetime operators rewritten; undefined when it cannot be parsed. */
export function rewriteExpression(
  expr: string,
  isDatetime: (text: string) => boolean,
  isNamespace: (name: string) => boolean = () => false,
): string | undefined {
  const lexed = tokenize(expr);
  if (!lexed) return undefined;
  const parser = new Parser(lexed.tokens, isDatetime, isNamespace);
  try {
    const node = parser.ternary();
    if (!parser.done()) return undefined;
    return node.text + lexed.tail;
  } catch {
    return undefined;
  }
}

class Parser {
  #i = 0;
  readonly #tokens: Token[];
  readonly #isDatetime: (text: string) => boolean;
  readonly #isNamespace: (name: string) => boolean;

  constructor(
    tokens: Token[],
    isDatetime: (text: string) => boolean,
    isNamespace: (name: string) => boolean,
  ) {
    this.#tokens = tokens;
    this.#isDatetime = isDatetime;
    this.#isNamespace = isNamespace;
  }

  done(): boolean {
    return this.#i >= this.#tokens.length;
  }

  #peek(k = 0): Token | undefined {
    return this.#tokens[this.#i + k];
  }

  #is(text: string, k = 0): boolean {
    const t = this.#peek(k);
    return t !== undefined && t.text === text && (t.kind === 'op' || t.kind === 'name');
  }

  #next(): Token {
    const t = this.#tokens[this.#i++];
    if (!t) throw new Error('unexpected end');
    return t;
  }

  #take(): string {
    const t = this.#next();
    return t.ws + t.text;
  }

  #expect(text: string): string {
    if (!this.#is(text)) throw new Error(`expected ${text}`);
    return this.#take();
  }

  ternary(): Node {
    let text = this.#or().text;
    if (this.#is('if')) {
      text += this.#take() + this.#or().text;
      if (this.#is('else')) text += this.#take() + this.ternary().text;
    }
    return { text };
  }

  #or(): Node {
    let text = this.#and().text;
    while (this.#is('or')) text += this.#take() + this.#and().text;
    return { text };
  }

  #and(): Node {
    let text = this.#not().text;
    while (this.#is('and')) text += this.#take() + this.#not().text;
    return { text };
  }

  #not(): Node {
    if (this.#is('not')) return { text: this.#take() + this.#not().text };
    return this.#compare();
  }

  #compare(): Node {
    const operands = [this.#add()];
    const ops: Token[] = [];
    for (;;) {
      const t = this.#peek();
      if (t?.kind === 'op' && comparisons.has(t.text)) {
        ops.push(this.#next());
        operands.push(this.#add());
      } else if (this.#is('in') || (this.#is('not') && this.#is('in', 1))) {
        let text = this.#take();
        if (text.trim() === 'not') text += this.#take();
        ops.push({ ws: '', text, kind: 'name' });
        operands.push(this.#add());
      } else break;
    }
    const first = operands[0] as Node;
    if (ops.length === 0) return first;
    const rewrite =
      ops.every((o) => comparisons.has(o.text)) && operands.some((o) => this.#isDatetime(o.text));
    if (!rewrite)
      return { text: first.text + ops.map((o, i) => o.ws + o.text + operands[i + 1]?.text).join('') };
    const pairs = ops.map((o, i) => binop(o, operands[i] as Node, operands[i + 1] as Node, i > 0));
    return { text: pairs.length === 1 ? (pairs[0] as string) : `(${pairs.join(' and ')})` };
  }

  #add(): Node {
    let left = this.#concat();
    for (;;) {
      const t = this.#peek();
      if (t?.kind !== 'op' || (t.text !== '+' && t.text !== '-')) break;
      this.#next();
      const right = this.#concat();
      left =
        this.#isDatetime(left.text) || this.#isDatetime(right.text)
          ? { text: binop(t, left, right, false) }
          : { text: left.text + t.ws + t.text + right.text };
    }
    return left;
  }

  #binary(ops: Set<string>, operand: () => Node): Node {
    let text = operand().text;
    for (;;) {
      const t = this.#peek();
      if (t?.kind !== 'op' || !ops.has(t.text)) break;
      text += this.#take() + operand().text;
    }
    return { text };
  }

  #concat(): Node {
    return this.#binary(new Set(['~']), () => this.#mul());
  }

  /** `* / // %`; `'text' % args` (a string literal on the left) is Python's %-formatting. */
  #mul(): Node {
    let left = this.#pow();
    for (;;) {
      const t = this.#peek();
      if (t?.kind !== 'op' || !['*', '/', '//', '%'].includes(t.text)) break;
      this.#next();
      const right = this.#pow();
      if (
        t.text === '%' &&
        /^\s*(['"])[\s\S]*\1$/.test(left.text) &&
        !/^\s*(['"])[\s\S]*\1\s*['"]/.test(left.text)
      ) {
        const lead = /^\s*/.exec(left.text)?.[0] ?? '';
        left = { text: `${lead}__py_method__(${left.text.trimStart()}, '__mod__',${t.ws}${right.text})` };
      } else left = { text: left.text + t.ws + t.text + right.text };
    }
    return left;
  }

  #pow(): Node {
    return this.#binary(new Set(['**']), () => this.#unary());
  }

  #unary(): Node {
    if (this.#is('-') || this.#is('+')) return { text: this.#take() + this.#unary().text };
    let text = this.#primary();
    for (;;) {
      const method = this.#peek(1);
      if (
        this.#is('.') &&
        method?.kind === 'name' &&
        pythonMethods.has(method.text) &&
        this.#is('(', 2) &&
        !this.#isNamespace(text.trim())
      ) {
        // `x.index(y)` → `__py_method__(x, 'index', y)`
        this.#next();
        this.#next();
        const args = this.#group('(', ')');
        const inner = args.slice(args.indexOf('(') + 1, args.lastIndexOf(')'));
        const lead = /^\s*/.exec(text)?.[0] ?? '';
        text = `${lead}__py_method__(${text.trimStart()}, '${method.text}'${inner.trim() ? `, ${inner.trimStart()}` : inner})`;
      } else if (this.#is('.')) text += this.#take() + this.#take();
      else if (this.#is('(')) text += this.#group('(', ')');
      else if (this.#is('[')) text += this.#group('[', ']');
      else if (this.#is('|')) {
        text += this.#take() + this.#take();
        while (this.#is('.')) text += this.#take() + this.#take();
        if (this.#is('(')) text += this.#group('(', ')');
      } else if (this.#is('is')) {
        text += this.#take();
        if (this.#is('not')) text += this.#take();
        text += this.#take();
        if (this.#is('(')) text += this.#group('(', ')');
        else {
          const t = this.#peek();
          if (
            t &&
            (t.kind === 'string' || t.kind === 'number' || (t.kind === 'name' && !stopNames.has(t.text)))
          )
            text += this.#unary().text;
        }
      } else break;
    }
    return { text };
  }

  #primary(): string {
    const t = this.#peek();
    if (!t) throw new Error('unexpected end');
    if (t.kind === 'string') {
      let text = this.#take();
      while (this.#peek()?.kind === 'string') text += this.#take();
      return text;
    }
    if (t.kind === 'number' || t.kind === 'name') return this.#take();
    if (t.text === '(') return this.#group('(', ')');
    if (t.text === '[') return this.#group('[', ']');
    if (t.text === '{') return this.#group('{', '}');
    throw new Error(`unexpected ${t.text}`);
  }

  /** `( … )`, `[ … ]`, `{ … }`: items separated by `,` or `:`, keyword arguments, `*` / `**` spreads. */
  #group(open: string, close: string): string {
    let text = this.#expect(open);
    for (;;) {
      if (this.#is(close)) break;
      if (this.#is('*') || this.#is('**')) text += this.#take();
      if (this.#peek()?.kind === 'name' && this.#is('=', 1)) text += this.#take() + this.#take();
      if (!this.#is(':')) text += this.ternary().text;
      if (this.#is(',') || this.#is(':')) text += this.#take();
      else if (!this.#is(close)) throw new Error(`expected ${close}`);
    }
    return text + this.#expect(close);
  }
}

/** `__py_binop__('op', left, right)`, keeping the left side's leading and the operator's whitespace. */
function binop(op: Token, left: Node, right: Node, leftIsRepeat: boolean): string {
  const lead = leftIsRepeat ? '' : (/^\s*/.exec(left.text)?.[0] ?? '');
  const ws = op.ws + (/^\s*/.exec(right.text)?.[0] ?? '');
  const gap = ws.includes('\n') ? ws : ' ';
  return `${lead}__py_binop__('${op.text}', ${left.text.trimStart()},${gap}${right.text.trimStart()})`;
}
