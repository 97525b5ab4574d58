/**
 * Source rewrites that give minijinja the parts of dbt's Python Jinja that packages rely on:
 * macros that `return()` values, `{% do x.append(y) %}` / `x.update(d)` / `x.extend(l)` on
 * variables, `d.get(k, default)`, and `for row in table`. Each rewrite turns the Python idiom into
 * plain minijinja (plus a few JS globals named `__…__`), on the same line, so error lines stay true.
 *
 * - Return values: `return(x)` hands `x` to JS and prints a token; every call of a macro that
 *   uses `return` is wrapped as `__rv__(m(...))`, which swaps the macro's text for the value.
 *   After a `return` the rest of the macro is skipped (`{% if not __r.done %}`), as dbt's return
 *   stops the macro.
 * - Mutation: a variable that is appended to / updated lives in a per-macro `namespace()`
 *   (`__m.x`), so changes made inside `for` loops survive them; `x.append(y)` becomes
 *   `{% set __m.x = __m.x + [y] %}`, `x.update(d)` becomes `dict(__m.x, **d)`.
 */

export interface RewriteOptions {
  /** Whether a bare call `name(...)` is a call of a macro that may return a value. */
  returningMacro(name: string): boolean;
  /** Whether `name` is a macro namespace (`dbt_utils`, a layer): `name.x(...)` calls a macro. */
  isNamespace(name: string): boolean;
  /**
   * For a macro that reads `kwargs` (Jinja's catch-all of undeclared keyword arguments, which
   * minijinja does not have), the parameters it declares; undefined for any other callee.
   */
  kwargsParams?(callee: string): readonly string[] | undefined;
}

export interface Segment {
  kind: 'text' | 'expr' | 'tag' | 'comment';
  text: string;
  /** For expr/tag: the opening (`{%-`) and closing (`-%}`) delimiters and the inside. */
  open?: string;
  close?: string;
  body?: string;
  /** For tags: the first word. */
  name?: string;
}

interface Block {
  kind: 'block';
  name: string;
  head: Segment;
  /** The bodies: the first after the head, then one per elif/else tag. */
  branches: { tag?: Segment; children: TemplateNode[] }[];
  end: Segment;
}

type TemplateNode = Segment | Block;

const blockTags = new Set(['if', 'for', 'macro', 'call', 'filter', 'with', 'autoescape', 'block']);
const middleTags = new Set(['elif', 'else']);

/** Splits a template into text, `{{ }}`, `{% %}` and `{# #}` segments (raw blocks are text). */
export function lexTemplate(text: string): Segment[] | undefined {
  const out: Segment[] = [];
  let i = 0;
  let textStart = 0;
  const flushText = (end: number) => {
    if (end > textStart) out.push({ kind: 'text', text: text.slice(textStart, end) });
  };
  while (i < text.length) {
    const at = text.indexOf('{', i);
    if (at < 0 || at + 1 >= text.length) break;
    const next = text[at + 1];
    if (next !== '{' && next !== '%' && next !== '#') {
      i = at + 1;
      continue;
    }
    if (next === '#') {
      const end = text.indexOf('#}', at + 2);
      if (end < 0) return undefined;
      flushText(at);
      out.push({ kind: 'comment', text: text.slice(at, end + 2) });
      i = textStart = end + 2;
      continue;
    }
    const closer = next === '{' ? '}}' : '%}';
    let j = at + 2;
    let quote: string | undefined;
    let end = -1;
    while (j < text.length) {
      const c = text[j] as string;
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (text.startsWith(closer, j)) {
        end = j;
        break;
      }
      j++;
    }
    if (end < 0) return undefined;
    let openLen = 2;
    if (text[at + 2] === '-' || text[at + 2] === '+') openLen = 3;
    let closeStart = end;
    if (text[end - 1] === '-' || text[end - 1] === '+') closeStart = end - 1;
    if (closeStart < at + openLen) closeStart = end;
    const body = text.slice(at + openLen, closeStart);
    const segment: Segment = {
      kind: next === '{' ? 'expr' : 'tag',
      text: text.slice(at, end + 2),
      open: text.slice(at, at + openLen),
      close: text.slice(closeStart, end + 2),
      body,
    };
    if (segment.kind === 'tag') segment.name = /^\s*([A-Za-z_]\w*)/.exec(body)?.[1] ?? '';
    flushText(at);
    if (segment.name === 'raw') {
      const endRaw = /\{%-?\s*endraw\s*-?%\}/g;
      endRaw.lastIndex = end + 2;
      const m = endRaw.exec(text);
      if (!m) return undefined;
      out.push({ kind: 'text', text: text.slice(at, m.index + m[0].length) });
      i = textStart = m.index + m[0].length;
      continue;
    }
    out.push(segment);
    i = textStart = end + 2;
  }
  textStart = Math.min(textStart, text.length);
  if (textStart < text.length) out.push({ kind: 'text', text: text.slice(textStart) });
  return out;
}

const isBlockSet = (s: Segment) => s.name === 'set' && !topLevelAssign(s.body ?? '');

function topLevelAssign(body: string): boolean {
  const tokens = lexExpr(body);
  return tokens.some((t) => t.text === '=');
}

/** Builds the block tree; undefined when the tags do not nest (the text is left as written). */
function parseTree(segments: Segment[]): TemplateNode[] | undefined {
  const root: TemplateNode[] = [];
  const stack: Block[] = [];
  const current = () => {
    const top = stack[stack.length - 1];
    return top ? (top.branches[top.branches.length - 1] as { children: TemplateNode[] }).children : root;
  };
  for (const s of segments) {
    if (s.kind === 'tag') {
      const name = s.name ?? '';
      if (blockTags.has(name) || isBlockSet(s)) {
        stack.push({ kind: 'block', name, head: s, branches: [{ children: [] }], end: s });
        continue;
      }
      if (middleTags.has(name) && stack.length > 0) {
        (stack[stack.length - 1] as Block).branches.push({ tag: s, children: [] });
        continue;
      }
      if (name.startsWith('end')) {
        const block = stack.pop();
        if (!block || `end${block.name}` !== name) return undefined;
        block.end = s;
        current().push(block);
        continue;
      }
    }
    current().push(s);
  }
  return stack.length === 0 ? root : undefined;
}

// ---------------------------------------------------------------------------------------------
// Expressions

interface Token {
  kind: 'ident' | 'string' | 'number' | 'op' | 'space';
  text: string;
}

// One sticky match per token instead of a regex test per character (the same tokens).
const spaceRun = /\s+/y;
const identRun = /[A-Za-z_]\w*/y;
const numberRun = /\d[\w.]*/y;

function lexExpr(src: string): Token[] {
  const tokens: Token[] = [];
  /** The end of `pattern`'s match at `at` (`at` itself when it does not match there). */
  const run = (pattern: RegExp, at: number): number => {
    pattern.lastIndex = at;
    return pattern.test(src) ? pattern.lastIndex : at;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    const space = run(spaceRun, i);
    if (space > i) {
      tokens.push({ kind: 'space', text: src.slice(i, space) });
      i = space;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      tokens.push({ kind: 'string', text: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const ident = run(identRun, i);
    if (ident > i) {
      tokens.push({ kind: 'ident', text: src.slice(i, ident) });
      i = ident;
      continue;
    }
    const number = run(numberRun, i);
    if (number > i) {
      tokens.push({ kind: 'number', text: src.slice(i, number) });
      i = number;
      continue;
    }
    const two = src.slice(i, i + 2);
    const op = ['==', '!=', '<=', '>=', '//', '**'].includes(two) ? two : c;
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

const closing: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Index of the token closing the bracket opened at `open`. */
function matchBracket(tokens: Token[], open: number): number {
  const stack: string[] = [];
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'op') continue;
    if (closing[t.text]) stack.push(closing[t.text] as string);
    else if (t.text === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return tokens.length - 1;
}

const nextSignificant = (tokens: Token[], i: number) => {
  let j = i;
  while (j < tokens.length && tokens[j]?.kind === 'space') j++;
  return j;
};
const prevSignificant = (tokens: Token[], i: number) => {
  let j = i;
  while (j >= 0 && tokens[j]?.kind === 'space') j--;
  return j;
};

interface ScopeInfo {
  /** Variables kept in the scope's namespace `__m`. */
  lifted: Set<string>;
}

type ChainPart =
  | { kind: 'attr'; name: string; from: number; to: number }
  | { kind: 'call'; from: number; to: number }
  | { kind: 'index'; from: number; to: number };

/** The postfix chain after an identifier at `start`: `.a`, `[k]`, `(args)` parts. */
function readChain(tokens: Token[], start: number): { parts: ChainPart[]; end: number } {
  const parts: ChainPart[] = [];
  let i = start + 1;
  for (;;) {
    const j = nextSignificant(tokens, i);
    const t = tokens[j];
    if (t?.kind !== 'op') break;
    if (t.text === '.') {
      const k = nextSignificant(tokens, j + 1);
      const name = tokens[k];
      if (name?.kind !== 'ident') break;
      parts.push({ kind: 'attr', name: name.text, from: j, to: k });
      i = k + 1;
    } else if (t.text === '(' || t.text === '[') {
      // A call or subscript binds only without space before it in practice; accept spaces too.
      const close = matchBracket(tokens, j);
      parts.push({ kind: t.text === '(' ? 'call' : 'index', from: j, to: close });
      i = close + 1;
    } else break;
  }
  return { parts, end: i };
}

const join = (tokens: Token[], from: number, to: number) =>
  tokens
    .slice(from, to + 1)
    .map((t) => t.text)
    .join('');

class ExprRewriter {
  constructor(
    private readonly options: RewriteOptions,
    private readonly scope: ScopeInfo,
  ) {}

  rewrite(src: string, skipFirstCallWrap = false): string {
    return this.#emit(lexExpr(src), 0, Number.POSITIVE_INFINITY, skipFirstCallWrap);
  }

  #emit(tokens: Token[], from: number, to: number, skipFirstCallWrap = false): string {
    let out = '';
    let i = from;
    const last = Math.min(to, tokens.length - 1);
    let skipWrap = skipFirstCallWrap;
    while (i <= last) {
      const t = tokens[i] as Token;
      if (t.kind !== 'ident') {
        out += t.text;
        i++;
        continue;
      }
      const prev = tokens[prevSignificant(tokens, i - 1)];
      if (
        (prev?.kind === 'op' && (prev.text === '.' || prev.text === '|')) ||
        (prev?.kind === 'ident' && prev.text === 'is')
      ) {
        out += t.text;
        i++;
        continue;
      }
      const { parts, end } = readChain(tokens, i);
      out += this.#chain(tokens, i, parts, skipWrap);
      skipWrap = false;
      i = end;
    }
    return out;
  }

  /** One identifier with its postfix chain, rewritten. */
  #chain(tokens: Token[], at: number, parts: ChainPart[], skipWrap: boolean): string {
    const head = (tokens[at] as Token).text;
    const after = tokens[nextSignificant(tokens, at + 1)];
    const isKeyword = after?.kind === 'op' && after.text === '=';
    let acc = this.scope.lifted.has(head) && !isKeyword ? `__m.${head}` : head;
    let plain = true;
    let path: string[] = [head];
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p] as ChainPart;
      const nextPart = parts[p + 1];
      if (part.kind === 'attr') {
        if (part.name === 'get' && nextPart?.kind === 'call' && head !== '__config_get__') {
          const args = this.#emit(tokens, nextPart.from + 1, nextPart.to - 1);
          acc = plain ? dictGetNative(acc, args) : `__dict_get__(${acc}, ${args})`;
          p++;
          plain = false;
          path = [];
          continue;
        }
        if (part.name === 'incorporate' && nextPart?.kind === 'call') {
          const args = this.#emit(tokens, nextPart.from + 1, nextPart.to - 1);
          acc = `__incorporate__(${acc}${args.trim() ? `, ${args}` : ''})`;
          p++;
          plain = false;
          path = [];
          continue;
        }
        if (
          part.name === 'render' &&
          head !== 'adapter' &&
          nextPart?.kind === 'call' &&
          nextPart.to === nextPart.from + 1
        ) {
          acc = `__relation_render__(${acc})`;
          p++;
          plain = false;
          path = [];
          continue;
        }
        if (part.name === 'items' && nextPart?.kind === 'call' && nextPart.to === nextPart.from + 1) {
          // An agate table's `.columns` is a list here; `.items()` pairs names with columns.
          acc = plain ? `(${acc}.items() if ${acc} is mapping else __items__(${acc}))` : `__items__(${acc})`;
          p++;
          plain = false;
          path = [];
          continue;
        }
        acc += join(tokens, part.from, part.to);
        path.push(part.name);
        continue;
      }
      const inner = this.#emit(tokens, part.from + 1, part.to - 1);
      if (part.kind === 'index') {
        acc += `[${inner}]`;
        path = [];
        continue;
      }
      const callee = path.length === 1 ? path[0] : path.length === 2 ? path[1] : undefined;
      const declared = callee === undefined ? undefined : this.options.kwargsParams?.(callee);
      acc += `(${declared ? kwargsCallArgs(inner, declared) : inner})`;
      if (!skipWrap && this.#isMacroCall(path, parts, p, head)) acc = `__rv__(${acc})`;
      skipWrap = false;
      plain = false;
      path = [];
    }
    return acc;
  }

  #isMacroCall(path: string[], parts: ChainPart[], p: number, head: string): boolean {
    if (path.length === 1)
      return this.options.returningMacro(path[0] as string) && !this.scope.lifted.has(path[0] as string);
    if (path.length === 2) return this.options.isNamespace(path[0] as string);
    // adapter.dispatch('x', 'pkg')(...) (or its rewritten `__dispatch_dynamic__(...)(...)`): the second call is the macro's.
    if (path.length === 0 && p >= 1 && parts[p - 1]?.kind === 'call') {
      const attr = parts[p - 2];
      return (
        (attr?.kind === 'attr' && attr.name === 'dispatch') || (p === 1 && head === '__dispatch_dynamic__')
      );
    }
    return false;
  }
}

/**
 * The arguments of a call to a macro that reads `kwargs`: keyword arguments it does not declare go
 * into its `kwargs` parameter (see `kwargsMacroHead`), and `**d` is split at run time by
 * `__kwsplit__` into the declared names and the rest, as Jinja would bind them.
 */
function kwargsCallArgs(args: string, declared: readonly string[]): string {
  const kept: string[] = [];
  const extra: string[] = [];
  const splats: string[] = [];
  for (const arg of splitTopLevel(args)) {
    const splat = /^\*\*([\s\S]+)$/.exec(arg);
    const keyword = /^([A-Za-z_]\w*)\s*=(?!=)([\s\S]*)$/.exec(arg);
    if (splat) splats.push((splat[1] as string).trim());
    else if (keyword && !declared.includes(keyword[1] as string) && keyword[1] !== 'kwargs')
      extra.push(`'${keyword[1]}': ${(keyword[2] as string).trim()}`);
    else kept.push(arg);
  }
  if (splats.length === 0 && extra.length === 0) return args;
  const names = `[${declared.map((n) => `'${n}'`).join(', ')}]`;
  if (splats.length > 0) kept.push(`**__kwsplit__([${splats.join(', ')}], ${names}, {${extra.join(', ')}})`);
  else kept.push(`kwargs={${extra.join(', ')}}`);
  return kept.join(', ');
}

/** Whether a macro body reads `kwargs` (then Jinja lets it take undeclared keyword arguments). */
function readsKwargs(nodes: TemplateNode[]): boolean {
  return segmentsOf(nodes).some(
    (s) => (s.kind === 'expr' || s.kind === 'tag') && /(?<![.\w])kwargs\b/.test(s.body ?? ''),
  );
}

/** `{% macro m(a, b=1) %}` of a macro that reads `kwargs`: `kwargs={}` added as its last parameter. */
function kwargsMacroHead(head: Segment, params: string[]): string {
  if (params.includes('kwargs')) return head.text;
  const m = /^([\s\S]*\()([\s\S]*)(\)\s*)$/.exec(head.body ?? '');
  if (!m) return head.text;
  const inner = (m[2] as string).trim() ? `${(m[2] as string).replace(/\s*$/, '')}, kwargs={}` : 'kwargs={}';
  return `${head.open}${m[1]}${inner}${m[3]}${head.close}`;
}

function dictGetNative(receiver: string, args: string): string {
  const split = splitTopLevel(args);
  const key = split[0] ?? 'none';
  const fallback = split[1] ?? 'none';
  return `((${receiver})[${key}] if ((${receiver}) is mapping and (${key}) in (${receiver})) else (${fallback}))`;
}

/** Splits an argument list at top-level commas. */
function splitTopLevel(args: string): string[] {
  const tokens = lexExpr(args);
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const t of tokens) {
    if (t.kind === 'op' && closing[t.text]) depth++;
    if (t.kind === 'op' && [')', ']', '}'].includes(t.text)) depth--;
    if (t.kind === 'op' && t.text === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += t.text;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mutation statements

const mutators = new Set(['append', 'extend', 'update']);

interface Mutation {
  root: string;
  /** The subscript inside `root[...]`, when the mutated value is `root[key]`. */
  key?: string;
  method: string;
  args: string;
}

/** `x.append(y)`, `x[k].append(y)`, `x.update(d)`, `x.extend(l)`: the whole expression. */
function readMutation(expr: string): Mutation | undefined {
  const tokens = lexExpr(expr);
  const start = nextSignificant(tokens, 0);
  const head = tokens[start];
  if (head?.kind !== 'ident') return undefined;
  const { parts, end } = readChain(tokens, start);
  if (nextSignificant(tokens, end) < tokens.length) return undefined;
  const call = parts[parts.length - 1];
  const method = parts[parts.length - 2];
  if (call?.kind !== 'call' || method?.kind !== 'attr' || !mutators.has(method.name)) return undefined;
  const middle = parts.slice(0, -2);
  if (middle.length > 1 || (middle[0] && middle[0].kind !== 'index')) return undefined;
  const args = join(tokens, call.from + 1, call.to - 1);
  const key = middle[0] ? join(tokens, middle[0].from + 1, middle[0].to - 1) : undefined;
  return { root: head.text, method: method.name, args, ...(key !== undefined ? { key } : {}) };
}

function mutationTarget(s: Segment): Mutation | undefined {
  if (s.kind !== 'tag') return undefined;
  const body = s.body ?? '';
  if (s.name === 'do') return readMutation(body.replace(/^\s*do\b/, ''));
  if (s.name === 'set') {
    const m = /^\s*set\s+[A-Za-z_]\w*\s*=(?!=)([\s\S]*)$/.exec(body);
    return m ? readMutation(m[1] as string) : undefined;
  }
  return undefined;
}

function mutationStatement(s: Segment, m: Mutation, rw: ExprRewriter, lifted: Set<string>): string {
  const target = lifted.has(m.root) ? `__m.${m.root}` : m.root;
  const args = rw.rewrite(m.args);
  const key = m.key !== undefined ? rw.rewrite(m.key) : undefined;
  const current = key !== undefined ? `${target}[${key}]` : target;
  const updated =
    m.method === 'append'
      ? `${current} + [${args}]`
      : m.method === 'extend'
        ? `${current} + ((${args}) | list)`
        : `dict(${current}, **(${args}))`;
  const value = key !== undefined ? `dict(${target}, **{${key}: ${updated}})` : updated;
  return `${s.open} set ${target} = ${value} ${s.close}`;
}

// ---------------------------------------------------------------------------------------------
// Scopes: a macro body or the template outside macros

const returnCall = /(?<![.\w])return\s*\(/;

function segmentsOf(nodes: TemplateNode[], intoMacros = false): Segment[] {
  const out: Segment[] = [];
  for (const node of nodes) {
    if (node.kind !== 'block') {
      out.push(node);
      continue;
    }
    if (node.name === 'macro' && !intoMacros) continue;
    out.push(node.head);
    for (const branch of node.branches) {
      if (branch.tag) out.push(branch.tag);
      out.push(...segmentsOf(branch.children, intoMacros));
    }
    out.push(node.end);
  }
  return out;
}

const hasReturn = (node: TemplateNode): boolean =>
  segmentsOf([node]).some((s) => (s.kind === 'expr' || s.kind === 'tag') && returnCall.test(s.body ?? ''));

function macroParams(head: Segment): string[] {
  const m = /^\s*macro\s+[A-Za-z_]\w*\s*\(([\s\S]*)\)\s*$/.exec(head.body ?? '');
  if (!m) return [];
  return splitTopLevel(m[1] as string)
    .map((p) => /^([A-Za-z_]\w*)/.exec(p)?.[1])
    .filter((p): p is string => Boolean(p));
}

class ScopeRewriter {
  readonly #rw: ExprRewriter;
  readonly #info: ScopeInfo;
  #usesReturnGuard = false;
  #assigned = new Set<string>();

  constructor(
    private readonly options: RewriteOptions,
    private readonly nodes: TemplateNode[],
    private readonly params: string[],
    private readonly isMacro: boolean,
    /** Whether the tag before this scope trims the whitespace after it (`-%}`); the prelude keeps that. */
    private readonly trimAfterHead = false,
    /** Whether the tag after this scope trims the whitespace before it (`{%-`). */
    private readonly trimBeforeEnd = false,
  ) {
    const segments = segmentsOf(nodes);
    const mutated = new Set(segments.flatMap((s) => mutationTarget(s)?.root ?? []));
    const assigned = new Set(
      segments.flatMap((s) => {
        if (s.name !== 'set') return [];
        const m = /^\s*set\s+([A-Za-z_]\w*)/.exec(s.body ?? '');
        return m ? [m[1] as string] : [];
      }),
    );
    const lifted = new Set([...mutated].filter((name) => params.includes(name) || assigned.has(name)));
    this.#assigned = assigned;
    this.#info = { lifted };
    this.#rw = new ExprRewriter(options, this.#info);
  }

  rewrite(): string {
    const body = this.#sequence(this.nodes, this.trimBeforeEnd);
    let prelude = '';
    const close = this.trimAfterHead ? '-%}' : '%}';
    const paramInit = [...this.#info.lifted].filter((p) => this.params.includes(p));
    if (this.#info.lifted.size > 0)
      prelude += `{% set __m = namespace(${paramInit.map((p) => `${p}=${p}`).join(', ')}) ${close}`;
    if (this.#usesReturnGuard || (this.isMacro && this.nodes.some(hasReturn)))
      prelude += `{% set __r = namespace(done=false) ${close}`;
    return prelude + body;
  }

  /** A list of sibling nodes; after one that may return, the rest runs only if it did not. */
  #sequence(nodes: TemplateNode[], trimBeforeEnd: boolean): string {
    let out = '';
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as TemplateNode;
      out += this.#node(node);
      const rest = nodes.slice(i + 1);
      if (
        this.isMacro &&
        rest.length > 0 &&
        hasReturn(node) &&
        rest.some((n) => n.kind !== 'text' || n.text.trim())
      ) {
        this.#usesReturnGuard = true;
        const closeOfNode = node.kind === 'block' ? node.end.close : node.close;
        const trimRight = closeOfNode?.startsWith('-') ? '-' : '';
        out += `{% if not __r.done ${trimRight}%}${this.#sequence(rest, trimBeforeEnd)}{%${trimBeforeEnd ? '-' : ''} endif %}`;
        return out;
      }
    }
    return out;
  }

  #node(node: TemplateNode): string {
    if (node.kind === 'block') return this.#block(node);
    if (node.kind === 'expr') {
      let body = this.#rw.rewrite(node.body ?? '');
      // `{{ v }}` of a variable set only on some paths (dbt_utils' `{{ select_gb_cols }}`): dbt's
      // Jinja prints an undefined value as ''; typos (names set nowhere) still fail.
      const printed = /^\s*([A-Za-z_]\w*)\s*$/.exec(node.body ?? '')?.[1];
      if (
        printed &&
        this.isMacro &&
        this.#assigned.has(printed) &&
        !this.params.includes(printed) &&
        !this.#info.lifted.has(printed)
      )
        body = ` (${printed} if ${printed} is defined else '') `;
      const returned = this.isMacro && returnCall.test(node.body ?? '');
      return `${node.open}${body}${node.close}${returned ? '{% set __r.done = true %}' : ''}`;
    }
    if (node.kind === 'tag') return this.#tag(node);
    return node.text;
  }

  #tag(s: Segment): string {
    const mutation = mutationTarget(s);
    if (mutation) return mutationStatement(s, mutation, this.#rw, this.#info.lifted);
    const body = s.body ?? '';
    const name = s.name ?? '';
    const rewritten = this.#tagBody(name, body);
    const returned = this.isMacro && name === 'do' && returnCall.test(body);
    // `{% do return(x) %}` must print return's token (a `do` discards what it evaluates).
    if (returned && /^\s*do\s+return\s*\(/.test(body)) {
      const open = s.open?.replace('{%', '{{') ?? '{{';
      const close = s.close?.replace('%}', '}}') ?? '}}';
      return `${open}${rewritten.replace(/^(\s*)do\b/, '$1')}${close}{% set __r.done = true %}`;
    }
    return `${s.open}${rewritten}${s.close}${returned ? '{% set __r.done = true %}' : ''}`;
  }

  #tagBody(name: string, body: string): string {
    const m = /^(\s*)([A-Za-z_]\w*)([\s\S]*)$/.exec(body);
    if (!m) return body;
    const [, lead, word, rest] = m as unknown as [string, string, string, string];
    switch (name) {
      case 'do':
      case 'if':
      case 'elif':
        return `${lead}${word}${this.#rw.rewrite(rest)}`;
      case 'set': {
        const target = /^(\s+)([A-Za-z_]\w*)(\s*)(=(?!=)[\s\S]*)?$/.exec(rest);
        if (!target) return body;
        const [, space, variable, space2, value] = target as unknown as [
          string,
          string,
          string,
          string,
          string?,
        ];
        const lhs = this.#info.lifted.has(variable) ? `__m.${variable}` : variable;
        const rhs = value ? `=${this.#rw.rewrite(value.slice(1))}` : '';
        return `${lead}${word}${space}${lhs}${space2}${rhs}`;
      }
      case 'for': {
        const parts = /^([\s\S]*?\sin\s)([\s\S]*)$/.exec(rest);
        if (!parts) return body;
        return `${lead}${word}${parts[1]}${this.#forIterable(parts[2] as string)}`;
      }
      case 'call': {
        const args = /^(\s*\([^)]*\))?([\s\S]*)$/.exec(rest);
        return `${lead}${word}${args?.[1] ?? ''}${this.#rw.rewrite(args?.[2] ?? '', true)}`;
      }
      default:
        return body;
    }
  }

  /** `for row in table`: an agate-like table iterates over its rows (see `__iter__`). */
  #forIterable(text: string): string {
    const tail = /\s(if|recursive)\s[\s\S]*$|\srecursive\s*$/.exec(text);
    const iterable = tail ? text.slice(0, tail.index) : text;
    const rest = tail ? text.slice(tail.index) : '';
    const rewritten = this.#rw.rewrite(iterable);
    if (/^\s*(range\s*\(|\[|\()/.test(iterable) || !rewritten.trim()) return rewritten + rest;
    const leading = /^\s*/.exec(rewritten)?.[0] ?? '';
    const name = rewritten.trim();
    // An undefined name stays undefined, so the loop fails where it is, with the engine's error
    // and line, instead of iterating over nothing.
    if (/^[A-Za-z_][\w.]*$/.test(name))
      return `${leading}(__iter__(${name}) if ${name} is defined else ${name}) ${rest}`;
    return `${leading}__iter__(${name}) ${rest}`;
  }

  #block(block: Block): string {
    if (block.name === 'macro') {
      const children = block.branches[0]?.children ?? [];
      const params = macroParams(block.head);
      const takesKwargs = readsKwargs(children) && !params.includes('kwargs');
      const inner = new ScopeRewriter(
        this.options,
        children,
        takesKwargs ? [...params, 'kwargs'] : params,
        true,
        block.head.close?.startsWith('-') ?? false,
        block.end.open?.endsWith('-') ?? false,
      ).rewrite();
      const head = takesKwargs ? kwargsMacroHead(block.head, params) : block.head.text;
      return `${head}${inner}${block.end.text}`;
    }
    let out = this.#tag(block.head);
    block.branches.forEach((branch, index) => {
      if (branch.tag) out += this.#tag(branch.tag);
      const following = block.branches[index + 1]?.tag ?? block.end;
      let body = this.#sequence(branch.children, following.open?.endsWith('-') ?? false);
      // Later iterations of a loop that returned do nothing (dbt's return leaves the loop).
      if (
        this.isMacro &&
        block.name === 'for' &&
        branch === block.branches[0] &&
        branch.children.some(hasReturn)
      ) {
        this.#usesReturnGuard = true;
        const trimRight = block.head.close?.startsWith('-') ? '-' : '';
        const trimLeft = following.open?.endsWith('-') ? '-' : '';
        body = `{% if not __r.done ${trimRight}%}${body}{%${trimLeft} endif %}`;
      }
      out += body;
    });
    return out + this.#tag(block.end);
  }
}

/** Whether a text needs the rewrites at all (most model files do not). */
export function mayNeedRewrite(text: string, options: RewriteOptions, macroCallPattern?: RegExp): boolean {
  if (
    /\.(append|extend|update|get|items|incorporate|render)\s*\(|(?<![.\w])return\s*\(|\bfor\s|dispatch\s*\(|__dispatch_dynamic__|(?<![.\w])kwargs\b/.test(
      text,
    )
  )
    return true;
  if (/\{%-?\s*macro\b/.test(text) && /\{%-?\s*set\s/.test(text)) return true;
  if (macroCallPattern) {
    macroCallPattern.lastIndex = 0;
    for (let m = macroCallPattern.exec(text); m; m = macroCallPattern.exec(text)) {
      const qualifier = m[1];
      const name = m[2] as string;
      if (qualifier ? options.isNamespace(qualifier) : options.returningMacro(name)) return true;
      if (options.kwargsParams?.(name)) return true;
    }
  }
  return false;
}

/**
 * Rewrites a template (or a file of macros) as described at the top of this file. Text whose
 * tags do not nest is returned unchanged (minijinja then reports the syntax error).
 */
export function rewritePythonIdioms(text: string, options: RewriteOptions): string {
  if (!text.includes('{')) return text;
  const segments = lexTemplate(text);
  if (!segments) return text;
  const tree = parseTree(segments);
  if (!tree) return text;
  return new ScopeRewriter(options, tree, [], false).rewrite();
}
