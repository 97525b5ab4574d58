import { dbtNamespace, type MacroDispatcher } from './dispatch.js';

/** Where a text is rendered from: the layer whose module (or template) it is. */
export interface RewriteContext {
  /** True for a macro module (combined layer module or a dbt macro's own module). */
  insideModule: boolean;
  /** The layer module the text belongs to (`__macros__/<layer>`), or '' for dbt's own modules. */
  layer: string;
  /** Unqualified macro names this text can call, each with the layer whose version wins. */
  visible: ReadonlyMap<string, string>;
  /**
   * Namespaces this text may call into (`pkg.x()`), each with the layer whose module answers to it:
   * every layer under its own name, and the package aliases the text's layer sees.
   */
  namespaces?: ReadonlyMap<string, string>;
}

/** Module name of one dbt macro: each has its own module, so importing it costs one macro. */
export const dbtMacroModule = (name: string): string => `__dbt__/${name}`;

const dispatchLiteral =
  /\badapter\.dispatch\(\s*(['"])([^'"]*)\1\s*(?:,\s*(?:macro_namespace\s*=\s*)?(?:(['"])([^'"]*)\3|none|None)\s*)?\)/g;
const dispatchAny = /\badapter\.dispatch\b/g;
const dbtReference = /(?<![\w.])dbt\.([A-Za-z_]\w*)/g;
const bareCall = /(?<![\w.|])([A-Za-z_]\w*)(\s*\()/g;
const filterBefore = /\|\s*$/;

/**
 * Rewrites what minijinja cannot resolve by itself into imports it can: `adapter.dispatch('x', 'ns')`
 * becomes the macro dispatch picks, `dbt.x` and unqualified calls to dbt's macros become the macro
 * from its own module. Each import is placed at the start of the enclosing macro's body (or of the
 * template), on the same line, so line numbers do not move and nothing is imported until used.
 * Names not found are turned into `__dispatch_error__(n)`, which records `errors[n]` when called.
 */
export class NamespaceRewriter {
  /** Messages for `__dispatch_error__(n)`. */
  readonly errors: string[] = [];
  readonly #errorIndex = new Map<string, number>();

  constructor(
    private readonly dispatcher: MacroDispatcher,
    private readonly dbtMacros: ReadonlySet<string>,
    /** Context functions dbt also answers under `dbt.` (`dbt.run_query`): written as the bare name. */
    private readonly contextNames: ReadonlySet<string> = new Set(),
    /** Called for each dbt macro a rewritten text imports (the engine compiles its module then). */
    private readonly onDbtMacro: (name: string) => void = () => undefined,
  ) {}

  /** Whether `text` may need rewriting at all (cheap test before the scan). */
  static mayNeed(text: string, dbtMacros: ReadonlySet<string>, namespaces: readonly string[] = []): boolean {
    if (text.includes('adapter.dispatch') || text.includes('dbt.')) return true;
    if (namespaces.some((n) => text.includes(`${n}.`))) return true;
    if (!text.includes('(')) return false;
    bareCall.lastIndex = 0;
    for (let m = bareCall.exec(text); m; m = bareCall.exec(text))
      if (dbtMacros.has(m[1] as string)) return true;
    return false;
  }

  rewrite(text: string, context: RewriteContext): string {
    const spaces = this.#namespacesOf(context);
    if (!NamespaceRewriter.mayNeed(text, this.dbtMacros, spaces?.names)) return text;
    // `out` holds the result in pieces; each scope (an open macro, and the top level) owns an
    // empty slot where its imports go once its body has been scanned.
    const out: string[] = [''];
    const scopes: { slot: number; trim: boolean; imports: Set<string> }[] = [
      { slot: 0, trim: false, imports: new Set() },
    ];
    const close = (scope: (typeof scopes)[number]) => {
      if (scope.imports.size > 0) out[scope.slot] = importTags(scope);
    };
    let i = 0;
    let copied = 0;
    const flush = (to: number) => {
      out.push(text.slice(copied, to));
      copied = to;
    };
    while (i < text.length) {
      const open = text.indexOf('{', i);
      if (open < 0 || open + 1 >= text.length) break;
      const kind = text[open + 1];
      if (kind === '#') {
        const end = text.indexOf('#}', open + 2);
        i = end < 0 ? text.length : end + 2;
        continue;
      }
      if (kind !== '{' && kind !== '%') {
        i = open + 1;
        continue;
      }
      const end = tagEnd(text, open + 2, kind === '{' ? '}}' : '%}');
      if (end < 0) break;
      const code = text.slice(open + 2, end);
      const trimmedCode = code.replace(/^[-+]/, '').trim();
      if (kind === '%' && /^raw\b/.test(trimmedCode)) {
        const endRaw = /\{%-?\s*endraw\s*-?%\}/g;
        endRaw.lastIndex = end;
        const found = endRaw.exec(text);
        i = found ? found.index + found[0].length : text.length;
        continue;
      }
      const scope = scopes[scopes.length - 1] as (typeof scopes)[number];
      const definedName = kind === '%' ? /^macro\s+([A-Za-z_]\w*)/.exec(trimmedCode)?.[1] : undefined;
      const rewritten = this.#rewriteCode(code, context, scope.imports, definedName);
      if (rewritten !== code) {
        flush(open + 2);
        out.push(rewritten);
        copied = end;
      }
      const tagClose = end + (text[end] === '-' || text[end] === '+' ? 3 : 2);
      if (definedName) {
        flush(tagClose);
        out.push('');
        scopes.push({ slot: out.length - 1, trim: text[end] === '-', imports: new Set() });
      } else if (kind === '%' && /^endmacro\b/.test(trimmedCode) && scopes.length > 1) {
        close(scopes.pop() as (typeof scopes)[number]);
      }
      i = tagClose;
    }
    flush(text.length);
    while (scopes.length > 0) close(scopes.pop() as (typeof scopes)[number]);
    return out.join('');
  }

  #rewriteCode(code: string, context: RewriteContext, imports: Set<string>, definedName?: string): string {
    let result = code;
    if (result.includes('adapter.dispatch')) {
      dispatchLiteral.lastIndex = 0;
      result = result.replace(
        dispatchLiteral,
        (_m, _q: string, name: string, _q2?: string, namespace?: string) =>
          this.#dispatched(name, namespace ?? null, context, imports),
      );
      dispatchAny.lastIndex = 0;
      result = result.replace(dispatchAny, '__dispatch_dynamic__');
    }
    const spaces = this.#namespacesOf(context);
    return mapOutsideStrings(result, (part) => {
      let next = part;
      if (spaces && next.includes('.')) {
        // `pkg.x` becomes the macro imported from pkg's module under an alias, at call time: a
        // call through a namespace is a method call on a map for minijinja, which reports any
        // 'unknown method' error raised inside the macro as "map has no method named x"; inside
        // pkg's own module a plain `x` could also be shadowed by a parameter (as `group_by` is).
        next = next.replace(spaces.pattern, (whole, namespace: string, name: string) => {
          const space = spaces.lookup.get(namespace);
          if (!space?.macros.has(name)) return whole;
          const alias = `__ns_${safe(space.module)}__${name}`;
          imports.add(`{% from '__macros__/${space.module}' import ${name} as ${alias} %}`);
          return alias;
        });
      }
      if (next.includes('dbt.')) {
        next = next.replace(dbtReference, (_m, name: string) => {
          if (this.dbtMacros.has(name)) return this.#dbtMacro(name, imports);
          if (this.contextNames.has(name)) return name;
          return `__dispatch_error__(${this.#error(`'dbt' has no macro '${name}'`)})`;
        });
      }
      if (this.dbtMacros.size > 0 && next.includes('(')) {
        next = next.replace(bareCall, (whole, name: string, paren: string, offset: number) => {
          if (!this.dbtMacros.has(name) || context.visible.has(name) || name === definedName) return whole;
          if (filterBefore.test(next.slice(0, offset))) return whole;
          return `${this.#dbtMacro(name, imports)}${paren}`;
        });
      }
      return next;
    });
  }

  /** Per namespaces map (one per layer), per module layer ('' for templates). */
  readonly #spacesCache = new WeakMap<object, Map<string, NamespaceLookup | undefined>>();
  readonly #noNamespaces = new Map<string, string>();

  /**
   * The namespaces a text can call into: those the context names, and inside a layer's module the
   * names its own module answers to (its name, the package aliases it provides).
   */
  #namespacesOf(context: RewriteContext): NamespaceLookup | undefined {
    const own = context.insideModule ? context.layer : '';
    if (!own && !context.namespaces) return undefined;
    const given = context.namespaces ?? this.#noNamespaces;
    let cache = this.#spacesCache.get(given);
    if (!cache) {
      cache = new Map();
      this.#spacesCache.set(given, cache);
    }
    if (cache.has(own)) return cache.get(own);
    const lookup = new Map<string, { module: string; macros: ReadonlySet<string> }>();
    for (const [name, module] of given) {
      const macros = this.dispatcher.namespaces.get(module)?.macros;
      if (macros && name !== dbtNamespace && identifier.test(name)) lookup.set(name, { module, macros });
    }
    if (own)
      for (const [name, space] of this.dispatcher.namespaces)
        if (space.module === own && name !== dbtNamespace && identifier.test(name))
          lookup.set(name, { module: own, macros: space.macros });
    const found: NamespaceLookup | undefined =
      lookup.size === 0
        ? undefined
        : {
            pattern: new RegExp(`(?<![\\w.])(${[...lookup.keys()].join('|')})\\.([A-Za-z_]\\w*)`, 'g'),
            lookup,
            names: [...lookup.keys()],
          };
    cache.set(own, found);
    return found;
  }

  #dispatched(name: string, namespace: string | null, context: RewriteContext, imports: Set<string>): string {
    const target = this.dispatcher.resolve(name, namespace, (macro) =>
      context.visible.has(macro) && context.layer ? { module: context.layer } : undefined,
    );
    if (!target.found) return `__dispatch_error__(${this.#error(target.message)})`;
    if (target.module === dbtNamespace && target.namespace !== null)
      return this.#dbtMacro(target.macro, imports);
    if (target.module === dbtNamespace) return this.#dbtMacro(target.macro, imports);
    if (context.insideModule && context.visible.get(target.macro) === target.module) return target.macro;
    if (context.insideModule && target.namespace === null) return target.macro;
    const alias = `__dispatch_${safe(target.module)}__${target.macro}`;
    imports.add(`{% from '__macros__/${target.module}' import ${target.macro} as ${alias} %}`);
    return alias;
  }

  #dbtMacro(name: string, imports: Set<string>): string {
    this.onDbtMacro(name);
    const alias = `__dbt_${name}`;
    imports.add(`{% from '${dbtMacroModule(name)}' import ${name} as ${alias} %}`);
    return alias;
  }

  #error(message: string): number {
    let index = this.#errorIndex.get(message);
    if (index === undefined) {
      index = this.errors.length;
      this.errors.push(message);
      this.#errorIndex.set(message, index);
    }
    return index;
  }
}

const safe = (name: string): string => name.replace(/\W/g, '_');
const identifier = /^[A-Za-z_]\w*$/;

/** Namespaces a text can call into, with the module and macros behind each. */
interface NamespaceLookup {
  pattern: RegExp;
  lookup: Map<string, { module: string; macros: ReadonlySet<string> }>;
  names: string[];
}

/** The import tags of one scope; after a `-%}` tag the last keeps the whitespace trimmed. */
function importTags(scope: { trim: boolean; imports: Set<string> }): string {
  const tags = [...scope.imports];
  if (scope.trim) tags[tags.length - 1] = (tags[tags.length - 1] as string).replace(/ %\}$/, ' -%}');
  return tags.join('');
}

/** Offset of the closing `}}` / `%}` of a tag whose code starts at `from` (strings skipped). */
function tagEnd(text: string, from: number, closer: string): number {
  let quote = '';
  for (let i = from; i < text.length - 1; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === closer[0] && text[i + 1] === closer[1])
      return text[i - 1] === '-' || text[i - 1] === '+' ? i - 1 : i;
  }
  return -1;
}

/** Applies `fn` to the parts of Jinja code outside string literals. */
function mapOutsideStrings(code: string, fn: (part: string) => string): string {
  if (!code.includes("'") && !code.includes('"')) return fn(code);
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '"' || c === "'") {
      parts.push(fn(code.slice(start, i)));
      let j = i + 1;
      while (j < code.length && code[j] !== c) j += code[j] === '\\' ? 2 : 1;
      parts.push(code.slice(i, j + 1));
      start = j + 1;
      i = j + 1;
    } else i++;
  }
  parts.push(fn(code.slice(start)));
  return parts.join('');
}
