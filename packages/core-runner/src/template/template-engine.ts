import { ShopsmartError } from '../errors.js';
import { didYouMean, formatSuggestions } from '../graph/did-you-mean.js';
import { readEnvVar } from '../project/env-var-reader.js';
import { findBlocks, testBlocksToMacros } from './block-extractor.js';
import { builtinLayerName } from './builtin-macros.js';
import { type ContextState, contextGlobals, resolveReturnTokens } from './context-globals.js';
import { agateTable, clearPyObjects, column, renderPyValues } from './context-values.js';
import { dbtMacros } from './dbt-macros.js';
import {
  createMacroDispatcher,
  type DispatchNamespace,
  type DispatchSettings,
  dbtNamespace,
} from './dispatch.js';
import { dbtMacroModule, NamespaceRewriter, type RewriteContext } from './dispatch-rewriter.js';
import { mayNeedRewrite, type RewriteOptions, rewritePythonIdioms } from './jinja-rewrite.js';
import { type MacroSignature, macroSignatures, signatureText } from './macro-signature.js';
import { macroSyntaxError } from './macro-syntax-check.js';
import { type Environment, newEnvironment } from './minijinja-loader.js';
import { rewritePythonOperators } from './operator-rewrite.js';
import { pythonFilters } from './python-filters.js';
import { pythonBuiltins, pythonPrinting, rewriteRunStartedAt } from './python-values.js';
import { relationText, renderRelations } from './relation-value.js';
import { type RenderScope, splitArgs, toPlain } from './render-scope.js';
import { macroFileParsesStatically, parseStaticMacro, type StaticMacro } from './static-renderer.js';
import { parseStaticTestMacro } from './static-test-renderer.js';

/** The macro files of one layer and the layers it can see (itself first, then its dependencies). */
export interface MacroLayerSource {
  layer: string;
  visible: string[];
  files: { path: string; text: string; names: string[] }[];
  /** Other package names this layer's macros answer to (`dbt_utils.x()` → this layer's `x`). */
  packageAliases?: readonly string[];
  /** The engine's own macros, known to parse: never compiled only to check them. */
  trusted?: boolean;
}

export interface RenderRequest {
  /** Shown in errors; the layer-relative file path. */
  file: string;
  source: string;
  layer: string;
  scope: RenderScope;
  /** Extra top-level variables for this template only (macros do not see them). */
  context?: Record<string, unknown>;
}

/** How `adapter.dispatch` searches (the adapter type defaults to `target.type`). */
export interface TemplateEngineOptions {
  dispatch?: Partial<DispatchSettings>;
}

interface ModuleLines {
  /** For each line of a combined macro module: the file and line it came from. */
  origins: { file: string; line: number }[];
}

const noEscapeSuffix = '#.sql';
/** Names a template may call that are not macros: dbt's context and Jinja's own globals. */
const contextNames = [
  'ref',
  'source',
  'config',
  'var',
  'is_incremental',
  'run_query',
  'log',
  'env_var',
  'return',
  'get_column_values',
  'zip',
  'set',
  'local_md5',
  'load_relation',
  'load_cached_relation',
  'doc',
  'range',
  'dict',
  'namespace',
  'lipsum',
  'cycler',
  'joiner',
  'debug',
  'caller',
  'loop',
  'super',
  'varargs',
  'kwargs',
  'if',
  'in',
  'and',
  'or',
  'not',
  'is',
];
/** Implemented in JS (they return values, not text); a macro of the same name is not imported. */
const nativeMacros = new Set(['get_column_values']);
const callPattern = /([A-Za-z_]\w*)\s*\(/g;
/** `config.get(` / `config.require(` (dbt's config object), not `model.config.get(` (a dict). */
const configMethodCall = /(?<![.\w])config\.(get|require)(\s*\()/g;
const configMethodGlobal = { get: '__config_get__', require: '__config_require__' } as const;

/** Rewrites `config.get(` / `config.require(` to globals minijinja can call (same line, same length or longer). */
export function rewriteConfigMethods(text: string): string {
  if (!text.includes('config.')) return text;
  return text.replace(
    configMethodCall,
    (_m, method: 'get' | 'require', paren: string) => `${configMethodGlobal[method]}${paren}`,
  );
}
const errorLocation = /\(in ([^:()]+):(\d+)\)/;

/**
 * Jinja rendering with dbt's context on minijinja (WASM). One engine serves a whole project:
 * macros are registered once per layer as a combined module; each render imports only the
 * macros its text calls, on the template's first line so line numbers stay the file's own.
 *
 * @example
 * const engine = new TemplateEngine([{ layer: 'staging', visible: ['staging'], files: [] }], { target });
 * engine.render({ file: 'models/a.sql', source: "select * from {{ ref('b') }}", layer: 'staging', scope });
 */
export class TemplateEngine {
  /** Built on first use (see `#env`): a project whose every node takes the static path never loads it. */
  #envValue: Environment | undefined;
  #scope: RenderScope | undefined;
  readonly #macroNames = new Map<string, Map<string, string>>();
  /** Per layer: the signature of each visible macro (the winning version). */
  readonly #signatures = new Map<string, Map<string, MacroSignature>>();
  readonly #moduleLines = new Map<string, ModuleLines>();
  /** Each macro file's text by its `layer:path` name, to quote the line an error is on. */
  readonly #moduleText = new Map<string, string>();
  readonly #layers = new Set<string>();
  readonly #layersUsingModel = new Set<string>();
  /** Per layer: the macros whose output depends on `execute` (directly or through macros they call). */
  readonly #executeMacros = new Map<string, Set<string>>();
  readonly #globals = new Map<string, unknown>();
  /** Per layer: package alias → the nearest visible layer answering to it (real layers win). */
  readonly #aliases = new Map<string, Map<string, string>>();
  /** Per layer: the text of each visible macro's winning definition, for the static path. */
  readonly #macroTexts = new Map<string, Map<string, string>>();
  readonly #staticMacros = new Map<string, StaticMacro | null>();
  /** `adapter.dispatch`, `dbt.x` and dbt's unqualified macros, rewritten to imports (dispatch-rewriter.ts). */
  #namespacesValue: NamespaceRewriter | undefined;
  /** What `#namespaces` is made from, on first use (dbt's macro files are read then). */
  readonly #namespaceInputs: [MacroLayerSource[], Record<string, unknown>, TemplateEngineOptions];
  /** How macros that `return()` values and Python idioms are rewritten (see jinja-rewrite.ts). */
  readonly #rewrite: RewriteOptions;
  /** Per render: statement results, returned values (see context-globals.ts). */
  readonly #context: ContextState = { statements: new Map(), returns: [], depth: 0 };
  /** What the environment is built from: the globals, and each layer's macro files (dependencies first). */
  readonly #extraGlobals: Record<string, unknown>;
  readonly #modules: { layer: string; chain: MacroLayerSource[] }[] = [];
  /** `flags` set by `setRunContext` before the environment was built. */
  #flags: Record<string, unknown> | undefined;

  constructor(
    layers: MacroLayerSource[],
    globals: Record<string, unknown> = {},
    options: TemplateEngineOptions = {},
  ) {
    this.#extraGlobals = globals;
    const byName = new Map(layers.map((l) => [l.layer, l]));
    for (const layer of layers) this.#layers.add(layer.layer);
    for (const layer of layers) this.#aliases.set(layer.layer, this.#aliasesSeenFrom(layer, byName));
    this.#namespaceInputs = [layers, globals, options];
    const returning = macrosReturningValues(layers.flatMap((l) => l.files));
    this.#macrosUseGraph = layers.some((l) => l.files.some((f) => /\bgraph\s*\./.test(f.text)));
    const namespaces = new Set([
      'dbt',
      ...this.#layers,
      ...[...this.#aliases.values()].flatMap((m) => [...m.keys()]),
    ]);
    const kwargsMacros = macrosReadingKwargs(layers.flatMap((l) => l.files));
    this.#rewrite = {
      // `__dbt_x` / `__dispatch_<layer>__x`: dbt's macros and dispatched ones, as dispatch-rewriter.ts writes them.
      returningMacro: (name) => returning.has(name) || dispatchedMacro.test(name),
      isNamespace: (name) => namespaces.has(name),
      kwargsParams: (name) => (kwargsMacros.size === 0 ? undefined : kwargsMacros.get(macroOfAlias(name))),
    };
    for (const layer of layers) {
      // Dependencies first so that a layer's own macro of the same name wins (defined last).
      const chain = [...layer.visible]
        .reverse()
        .flatMap((name) => (byName.get(name) ? [byName.get(name) as MacroLayerSource] : []));
      const names = new Map<string, string>();
      const signatures = new Map<string, MacroSignature>();
      const texts = new Map<string, string>();
      for (const source of chain) {
        for (const file of source.files) {
          for (const name of file.names) {
            names.set(name, source.layer);
            texts.delete(name);
          }
          let outerEnd = 0;
          for (const block of findBlocks(file.text)) {
            if ((block.kind !== 'macro' && block.kind !== 'test') || block.end < 0) continue;
            // A block inside another is local to it; the outer one never expands statically.
            if (block.start < outerEnd) continue;
            outerEnd = block.end;
            const name = block.kind === 'test' ? `test_${block.name}` : block.name;
            texts.set(name, file.text.slice(block.start, block.end));
          }
          for (const signature of macroSignatures(file.text, `${source.layer}:${file.path}`))
            signatures.set(signature.name, signature);
          this.#moduleText.set(`${source.layer}:${file.path}`, file.text);
        }
      }
      this.#macroNames.set(layer.layer, names);
      this.#macroTexts.set(layer.layer, texts);
      this.#signatures.set(layer.layer, signatures);
      this.#executeMacros.set(layer.layer, macrosUsingExecute(chain.flatMap((source) => source.files)));
      this.#modules.push({ layer: layer.layer, chain });
    }
    // A macro file that may not parse is compiled now, so its error is raised while parsing, as
    // dbt does, whether or not a node calls the engine. Files known to parse (the engine's own,
    // and macros that only print their parameters) wait for the first render that needs them.
    if (layers.some((l) => !l.trusted && l.files.some((f) => !macroFileParsesStatically(f.text))))
      this.#buildEnvironment();
  }

  /** dbt's namespace and dispatch rewriting, made on first use (only templates the engine renders need it). */
  get #namespaces(): NamespaceRewriter {
    this.#namespacesValue ??= this.#registerDbtNamespace(...this.#namespaceInputs);
    return this.#namespacesValue;
  }

  /** Whether the minijinja environment exists yet (a parse whose nodes were all static has none). */
  get environmentBuilt(): boolean {
    return this.#envValue !== undefined;
  }

  /** minijinja's environment with every layer's macro module, built the first time it is needed. */
  get #env(): Environment {
    return this.#envValue ?? this.#buildEnvironment();
  }

  #buildEnvironment(): Environment {
    const env = newEnvironment();
    this.#envValue = env;
    try {
      env.enablePyCompat();
      env.undefinedBehavior = 'strict';
      env.trimBlocks = false;
      env.keepTrailingNewline = true;
      this.#registerGlobals(this.#extraGlobals);
      if (this.#flags) env.addGlobal('flags', this.#flags);
      // A file seen from several layers is usually rewritten to the same text: rewrite it once.
      const rewritten = new Map<string, string>();
      for (const { layer, chain } of this.#modules) {
        const context: RewriteContext = {
          insideModule: true,
          layer,
          visible: this.#macroNames.get(layer) ?? new Map(),
          namespaces: this.#namespacesSeenFrom(layer),
        };
        const origins: ModuleLines['origins'] = [];
        const parts: string[] = [];
        for (const source of chain) {
          for (const file of source.files) {
            const namespaced = this.#namespaces.rewrite(
              testBlocksToMacros(file.text, source.layer !== builtinLayerName),
              context,
            );
            let text = rewritten.get(namespaced);
            if (text === undefined) {
              text = rewriteForEngine(namespaced, this.#rewrite);
              rewritten.set(namespaced, text);
            }
            const lineCount = text.split('\n').length;
            for (let i = 1; i <= lineCount; i++)
              origins.push({ file: `${source.layer}:${file.path}`, line: i });
            parts.push(text);
          }
        }
        const body = parts.join('\n');
        // `model.x` / `model[...]` reads dbt's node object; a bare `model` is usually a test's argument.
        if (/\bmodel\s*[.[]/.test(body)) this.#layersUsingModel.add(layer);
        const moduleName = `__macros__/${layer}`;
        this.#moduleLines.set(moduleName, { origins });
        try {
          env.addTemplate(moduleName, this.#importsFor(body, layer, true) + body);
        } catch (error) {
          throw (
            macroSyntaxError(chain, error, (text) =>
              rewriteForEngine(testBlocksToMacros(text), this.#rewrite),
            ) ?? this.#toError(error, moduleName)
          );
        }
      }
    } catch (error) {
      this.#envValue = undefined;
      throw error;
    }
    return env;
  }

  /**
   * dbt's own namespace: each macro of `macros/dbt/*.sql` becomes its own module (`__dbt__/<name>`),
   * so a call imports one macro, not the whole namespace. Returns the rewriter every text goes through.
   */
  #registerDbtNamespace(
    layers: MacroLayerSource[],
    globals: Record<string, unknown>,
    options: TemplateEngineOptions,
  ): NamespaceRewriter {
    const macros = dbtMacros();
    const names = new Set(macros.map((m) => m.name));
    const namespaces = new Map<string, DispatchNamespace>([
      [dbtNamespace, { module: dbtNamespace, macros: names }],
    ]);
    const own = new Map(layers.map((l) => [l.layer, new Set(l.files.flatMap((f) => f.names))]));
    for (const layer of layers)
      namespaces.set(layer.layer, { module: layer.layer, macros: own.get(layer.layer) ?? new Set() });
    for (const aliases of this.#aliases.values()) {
      for (const [alias, provider] of aliases)
        if (!namespaces.has(alias))
          namespaces.set(alias, { module: provider, macros: own.get(provider) ?? new Set() });
    }
    const target = globals.target as { type?: unknown } | undefined;
    const dispatcher = createMacroDispatcher(
      { adapterType: String(target?.type ?? 'duckdb'), ...options.dispatch } as DispatchSettings,
      namespaces,
    );
    const byName = new Map(macros.map((m) => [m.name, m]));
    const compiled = new Set<string>();
    const context: RewriteContext = { insideModule: true, layer: '', visible: new Map() };
    // A dbt macro's module is compiled the first time a text imports it (most projects use few).
    const compile = (name: string) => {
      const macro = byName.get(name);
      if (!macro || compiled.has(name)) return;
      compiled.add(name);
      const module = dbtMacroModule(name);
      const origins = macro.text
        .split('\n')
        .map((_, i) => ({ file: `dbt:${macro.file}`, line: macro.line + i }));
      this.#moduleLines.set(module, { origins });
      try {
        this.#env.addTemplate(module, rewriteForEngine(rewriter.rewrite(macro.text, context), this.#rewrite));
      } catch (error) {
        throw this.#toError(error, module);
      }
    };
    const rewriter = new NamespaceRewriter(dispatcher, names, new Set(contextNames), compile);
    return rewriter;
  }

  /** The signature of a macro visible from `layer` (generic tests as `test_<name>`). */
  macroSignature(layer: string, name: string): MacroSignature | undefined {
    return this.#signatures.get(layer)?.get(name);
  }

  /**
   * The macro `name` as seen from `layer` when it only prints its parameters (see
   * `parseStaticMacro`), so a call to it can be expanded without the engine; undefined otherwise.
   */
  staticMacro(layer: string, name: string): StaticMacro | undefined {
    if (nativeMacros.has(name) || !this.#macroNames.get(layer)?.has(name)) return undefined;
    const text = this.#macroTexts.get(layer)?.get(name);
    if (text === undefined) return undefined;
    let macro = this.#staticMacros.get(text);
    if (macro === undefined) {
      macro = parseStaticMacro(text) ?? parseStaticTestMacro(text) ?? null;
      this.#staticMacros.set(text, macro);
    }
    return macro ?? undefined;
  }

  /** Macro names visible from `layer`, mapped to the layer defining the winning version. */
  macrosVisibleFrom(layer: string): ReadonlyMap<string, string> {
    return this.#macroNames.get(layer) ?? new Map();
  }

  /**
   * Package aliases a layer can use, mapped to the layer that answers to each: the nearest visible
   * layer declaring it. A layer of the project really named like the alias takes precedence, so
   * installing the real package later needs no change here.
   */
  packageAliasesSeenFrom(layer: string): ReadonlyMap<string, string> {
    return this.#aliases.get(layer) ?? new Map();
  }

  readonly #namespacesByLayer = new Map<string, ReadonlyMap<string, string>>();

  /** Namespace → the layer answering to it, as `layer` sees them: every layer, and its package aliases. */
  #namespacesSeenFrom(layer: string): ReadonlyMap<string, string> {
    let found = this.#namespacesByLayer.get(layer);
    if (!found) {
      const map = new Map<string, string>([...this.#layers].map((name) => [name, name]));
      for (const [alias, provider] of this.#aliases.get(layer) ?? [])
        if (!map.has(alias)) map.set(alias, provider);
      found = map;
      this.#namespacesByLayer.set(layer, found);
    }
    return found;
  }

  #aliasesSeenFrom(layer: MacroLayerSource, byName: Map<string, MacroLayerSource>): Map<string, string> {
    const aliases = new Map<string, string>();
    for (const name of layer.visible) {
      for (const alias of byName.get(name)?.packageAliases ?? []) {
        if (!this.#layers.has(alias) && !aliases.has(alias)) aliases.set(alias, name);
      }
    }
    return aliases;
  }

  /** Renders a template; throws a ShopsmartError naming file, line and the Jinja message. */
  render(request: RenderRequest): string {
    // First: building the environment may raise a macro file's syntax error.
    const env = this.#env;
    const previous = this.#scope;
    this.#scope = request.scope;
    const context = this.#context;
    if (context.depth++ === 0) {
      context.statements.clear();
      context.returns.length = 0;
    }
    // Crossing into WASM costs: set per-render globals only when they change, and `model` only
    // for templates (or macro layers) that mention it.
    this.#setGlobal('this', request.scope.thisRelation ?? null);
    this.#setGlobal('execute', request.scope.execute);
    if (this.#layersUsingModel.has(request.layer) || /\bmodel\b/.test(request.source))
      this.#setGlobal('model', request.scope.model ?? {});
    if (this.#graph && !this.#graphSet && (this.#macrosUseGraph || /\bgraph\b/.test(request.source))) {
      this.#graphSet = true;
      env.addGlobal('graph', this.#graph());
    }
    let output: string;
    try {
      // minijinja picks auto-escaping from the template name (.yml → JSON escaping); SQL needs none.
      const name = request.file.endsWith('.sql') ? request.file : `${request.file}${noEscapeSuffix}`;
      const context: RewriteContext = {
        insideModule: false,
        layer: request.layer,
        visible: this.#macroNames.get(request.layer) ?? new Map(),
        namespaces: this.#namespacesSeenFrom(request.layer),
      };
      const source = this.#namespaces.rewrite(request.source, context);
      const prefix = this.#importsFor(source, request.layer, false);
      output = env.renderNamedStr(
        name,
        prefix + rewriteForEngine(source, this.#rewrite),
        request.context ?? {},
      );
      output = resolveReturnTokens(output, this.#context);
    } catch (error) {
      throw this.#toError(error, request.file, request);
    } finally {
      this.#scope = previous;
      if (--context.depth === 0) {
        context.returns.length = 0;
        clearPyObjects();
      }
    }
    const recorded = request.scope.errors[0];
    if (recorded) {
      throw new ShopsmartError(recorded.code ?? 'SSA-JINJA-002', recorded.message, {
        file: request.file,
        hint: recorded.hint,
      });
    }
    return renderRelations(renderPyValues(output));
  }

  /**
   * Whether a template's output may differ once `execute` is true (it tests `execute` itself or
   * calls a macro that does): such nodes are rendered again when they run, as dbt does.
   */
  /**
   * What a run knows that parsing does not: `flags` (WHICH, FULL_REFRESH, EMPTY, ...) and `graph`
   * (built when a template or macro first mentions it: large projects pay only when used).
   */
  setRunContext(context: { flags?: Record<string, unknown>; graph?: () => Record<string, unknown> }): void {
    if (context.flags) {
      this.#flags = { ...defaultFlags, ...context.flags };
      this.#envValue?.addGlobal('flags', this.#flags);
    }
    if (context.graph) {
      this.#graph = context.graph;
      this.#graphSet = false;
    }
  }

  #graph: (() => Record<string, unknown>) | undefined;
  #graphSet = false;
  #macrosUseGraph = false;

  dependsOnExecute(source: string, layer: string): boolean {
    if (/\bexecute\b/.test(source) || usesConfigMethods(source)) return true;
    const macros = this.#executeMacros.get(layer);
    if (!macros || macros.size === 0) return false;
    // Scanning every call in the text costs far more than looking for the few names first.
    let named = false;
    for (const name of macros) {
      if (source.includes(name)) {
        named = true;
        break;
      }
    }
    if (!named) return false;
    callPattern.lastIndex = 0;
    for (let m = callPattern.exec(source); m; m = callPattern.exec(source))
      if (macros.has(m[1] as string)) return true;
    return false;
  }

  #setGlobal(name: string, value: unknown): void {
    if (this.#globals.has(name) && this.#globals.get(name) === value) return;
    this.#globals.set(name, value);
    this.#env.addGlobal(name, value);
  }

  /** `{% from … import … %}` for the macros a text calls, and namespace imports (`staging.x()`). */
  #importsFor(text: string, layer: string, insideModule: boolean): string {
    const visible = this.#macroNames.get(layer);
    let prefix = '';
    if (!visible) return prefix;
    if (!insideModule) {
      const used = new Set<string>();
      callPattern.lastIndex = 0;
      for (let m = callPattern.exec(text); m; m = callPattern.exec(text)) {
        const name = m[1] as string;
        if (visible.has(name) && !nativeMacros.has(name)) used.add(name);
      }
      if (used.size > 0) prefix += `{% from '__macros__/${layer}' import ${[...used].join(', ')} %}`;
    }
    for (const other of this.#layers) {
      if (insideModule && other === layer) continue;
      if (callsInto(text, other)) prefix += `{% import '__macros__/${other}' as ${other} %}`;
    }
    for (const [alias, provider] of this.#aliases.get(layer) ?? []) {
      // A layer's own module cannot import itself (as with `quality.x()` inside quality's macros).
      if (insideModule && provider === layer) continue;
      if (callsInto(text, alias)) prefix += `{% import '__macros__/${provider}' as ${alias} %}`;
    }
    return prefix;
  }

  #toError(error: unknown, file: string, request?: RenderRequest): ShopsmartError {
    const text = error instanceof Error ? error.message : String(error);
    const firstLine = text.split('\n')[0] ?? text;
    const where = errorLocation.exec(firstLine);
    let location = { file, line: undefined as number | undefined };
    if (where) {
      const origin = this.#moduleLines.get(where[1] as string)?.origins[Number(where[2]) - 1];
      location = origin ? { file: origin.file, line: origin.line } : { file, line: Number(where[2]) };
      location.file = location.file.replace(noEscapeSuffix, '');
    }
    let message = firstLine.replace(errorLocation, '').trim();
    const called = this.#calledMacros(request, location, file, message);
    if (called.length > 0)
      message = `${called.map((s) => `macro ${signatureText(s)} (${s.file}:${s.line})`).join(' or ')}: ${message}`;
    const undefinedName = /undefined value|not callable|unknown function|unknown method/.test(message)
      ? (this.#unknownCallHint(request, location.file === file ? location.line : undefined, message) ??
        this.#undefinedNameHint(text))
      : undefined;
    return new ShopsmartError('SSA-JINJA-001', `template error: ${message}`, {
      ...location,
      hint: undefinedName ?? 'check the Jinja syntax and the names used at this line',
    });
  }

  /** For an argument error: the macros called on the failing line (of the template or a macro file). */
  #calledMacros(
    request: RenderRequest | undefined,
    location: { file: string; line: number | undefined },
    file: string,
    message: string,
  ): MacroSignature[] {
    if (!request || !location.line || !/too many arguments|missing argument|keyword argument/.test(message))
      return [];
    const signatures = this.#signatures.get(request.layer);
    const text =
      location.file === file
        ? request.source.split('\n')[location.line - 1]
        : this.#moduleText.get(location.file)?.split('\n')[location.line - 1];
    if (!signatures || text === undefined) return [];
    const found = new Map<string, MacroSignature>();
    callPattern.lastIndex = 0;
    for (let m = callPattern.exec(text); m; m = callPattern.exec(text)) {
      const signature = signatures.get(m[1] as string);
      if (signature) found.set(signature.name, signature);
    }
    return [...found.values()];
  }

  /** For an unknown macro on the failing line: which call it is and the closest visible macro. */
  #unknownCallHint(
    request: RenderRequest | undefined,
    line: number | undefined,
    message: string,
  ): string | undefined {
    if (!request || !line) return undefined;
    const text = request.source.split('\n')[line - 1] ?? '';
    const visible = this.#macroNames.get(request.layer) ?? new Map<string, string>();
    const known = new Set([...visible.keys(), ...contextNames]);
    const qualifiedHint = this.#unknownQualifiedCallHint(text, request.layer, message);
    if (qualifiedHint) return qualifiedHint;
    callPattern.lastIndex = 0;
    for (let m = callPattern.exec(text); m; m = callPattern.exec(text)) {
      const name = m[1] as string;
      const qualified = text.slice(Math.max(0, m.index - 1), m.index) === '.';
      if (qualified || known.has(name)) continue;
      const suggestion = formatSuggestions(didYouMean(name, visible.keys()));
      return `'${name}' is not a macro this layer can see${suggestion ? `; ${suggestion}` : ''}`;
    }
    return undefined;
  }

  /**
   * For `pkg.name(` on the failing line: `pkg` is no layer or package alias this layer sees, or
   * the layer behind it has no such macro (or generic test, for `test_` names).
   */
  #unknownQualifiedCallHint(text: string, layer: string, message: string): string | undefined {
    const aliases = this.#aliases.get(layer) ?? new Map<string, string>();
    const valueNames = new Set(['adapter', 'exceptions', 'target', 'this', 'model', 'modules', 'loop']);
    for (const m of text.matchAll(/\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*\(/g)) {
      const [namespace, name] = [m[1] as string, m[2] as string];
      if (valueNames.has(namespace)) continue;
      const provider = this.#layers.has(namespace) ? namespace : aliases.get(namespace);
      const isTest = name.startsWith('test_');
      const shown = isTest ? name.slice('test_'.length) : name;
      if (!provider) {
        // Only when Jinja said the namespace itself is undefined (not a variable with methods).
        if (!message.includes(`undefined has no method named ${name}`)) continue;
        const aliasList = aliases.size > 0 ? `; package aliases: ${[...aliases.keys()].join(', ')}` : '';
        return `'${namespace}' is neither a layer nor a package alias (layers: ${[...this.#layers].join(', ')}${aliasList}); a layer answers to '${namespace}' when it lists it in packageAliases (defineLayer) or package_aliases (shopsmart.yml)`;
      }
      const names = [...(this.#macroNames.get(provider)?.keys() ?? [])];
      if (names.includes(name)) continue;
      const candidates = names
        .filter((n) => n.startsWith('test_') === isTest)
        .map((n) => (isTest ? n.slice('test_'.length) : n));
      const suggestion = formatSuggestions(didYouMean(shown, candidates));
      const what = isTest ? 'generic test' : 'macro';
      const via = provider === namespace ? `layer '${provider}'` : `'${namespace}' (layer '${provider}')`;
      return `${via} has no ${what} '${shown}'${suggestion ? `; ${suggestion}` : ''}`;
    }
    return undefined;
  }

  #undefinedNameHint(detail: string): string | undefined {
    const referenced = /Referenced variables: \{([^}]*)\}/.exec(detail)?.[1];
    return referenced
      ? `the names used here are: ${referenced.trim()}; one of them is not defined (a macro, var or variable)`
      : undefined;
  }

  #registerGlobals(extra: Record<string, unknown>): void {
    const env = this.#env;
    const scope = (): RenderScope => {
      if (!this.#scope) throw new Error('render scope missing');
      return this.#scope;
    };
    for (const [name, filter] of Object.entries(pythonFilters)) env.addFilter(name, filter);
    env.addGlobal('ref', (...args: unknown[]) => scope().ref(args));
    env.addGlobal('source', (...args: unknown[]) => scope().source(args));
    env.addGlobal('config', (...args: unknown[]) => scope().config(args));
    env.addGlobal('var', (...args: unknown[]) => scope().var(args));
    // minijinja cannot call a function's attributes: `config.get(` is rewritten to these names.
    env.addGlobal(configMethodGlobal.get, (...args: unknown[]) => scope().configGet(args));
    env.addGlobal(configMethodGlobal.require, (...args: unknown[]) => scope().configRequire(args));
    env.addGlobal('is_incremental', () => scope().isIncremental());
    // dbt's run_query answers an agate table (none while parsing).
    env.addGlobal('run_query', (sql: unknown) => {
      // Dates printed into the SQL (`⦃dt:…⦄`) are swapped for their text before it runs.
      const result = scope().runQuery(renderPyValues(String(sql)));
      return result ? agateTable(result) : null;
    });
    env.addGlobal('log', (message: unknown, info: unknown) =>
      scope().log(typeof message === 'string' ? renderRelations(message) : message, info),
    );
    env.addGlobal('env_var', (...args: unknown[]) => {
      // SQL, macros and YAML properties may not read DBT_ENV_SECRET_* variables (dbt's rule).
      const found = readEnvVar(splitArgs(args).positional, 'project');
      if ('value' in found) return found.value;
      scope().errors.push(found.problem);
      return '';
    });
    const raise = (kind: string) => (message: unknown) => {
      scope().errors.push({
        code: 'SSA-JINJA-003',
        // A relation joined into the message (`compare_model ~ " has …"`) reads as its name, as in dbt.
        message: `${kind} raised by the template: ${renderRelations(String(message))}`,
      });
      return '';
    };
    env.addGlobal('exceptions', {
      raise_compiler_error: raise('compilation error'),
      raise_not_implemented: raise('not implemented error'),
      raise_database_error: raise('database error'),
      raise_fail_fast_error: raise('fail-fast error'),
      warn: (message: unknown) => scope().log(renderRelations(String(message)), true),
    });
    env.addGlobal('flags', defaultFlags);
    env.addGlobal('graph', emptyGraph);
    const adapterType = String((extra.target as { type?: unknown } | undefined)?.type ?? 'duckdb');
    /** Statements that change the warehouse go through run_query (answered between renders). */
    const statement = (sql: string) => {
      scope().runQuery(sql);
      return '';
    };
    env.addGlobal('adapter', {
      ...adapterStatements(statement, adapterType),
      quote: (name: unknown) => `"${String(name).replace(/"/g, '""')}"`,
      // dbt's Column objects: `quoted`, `is_string()`, `string_size()`, … (context-values.ts).
      get_columns_in_relation: (relation: unknown) =>
        scope()
          .getColumnsInRelation(toPlain(relation))
          .map((c) => column([c.name, c.data_type ?? c.dtype])),
      get_relation: (...args: unknown[]) => {
        const { positional, kwargs } = splitArgs(args);
        const [database, schema, identifier] = [
          kwargs.database ?? positional[0],
          kwargs.schema ?? positional[1],
          kwargs.identifier ?? positional[2],
        ];
        return scope().getRelation({
          database: database ? String(database) : '',
          schema: String(schema ?? ''),
          identifier: String(identifier ?? ''),
        });
      },
    });
    // dbt's `load_relation(relation)` / `load_cached_relation(relation)` macros: get_relation of a Relation.
    const loadRelation = (relation: unknown) => {
      const plain = toPlain(relation) as Partial<Record<string, unknown>> | undefined;
      return scope().getRelation({
        database: plain?.database ? String(plain.database) : '',
        schema: String(plain?.schema ?? ''),
        identifier: String(plain?.identifier ?? ''),
      });
    };
    env.addGlobal('load_relation', loadRelation);
    env.addGlobal('load_cached_relation', loadRelation);
    // A dispatch or `dbt.x` that found no macro (dispatch-rewriter.ts): raised when it is called.
    env.addGlobal('__dispatch_error__', (index: unknown) => {
      scope().errors.push({
        code: 'SSA-JINJA-004',
        message: this.#namespaces.errors[Number(index)] ?? 'adapter.dispatch found no macro',
        hint: 'define the macro (<adapter>__name or default__name) or check the dispatch: search_order in dbt_project.yml',
      });
      return () => '';
    });
    env.addGlobal('__dispatch_dynamic__', () => {
      scope().errors.push({
        code: 'SSA-JINJA-004',
        message: 'adapter.dispatch needs the macro name and namespace as string literals',
        hint: "write adapter.dispatch('name', 'namespace') (dbt documents both arguments as literals)",
      });
      return () => '';
    });
    // Macros that must hand a list back to the caller: minijinja macros can only return text.
    env.addGlobal('get_column_values', (...args: unknown[]) => {
      const { positional, kwargs } = splitArgs(args);
      const [table, column, orderBy, maxRecords, fallback, where] = [
        'table',
        'column',
        'order_by',
        'max_records',
        'default',
        'where',
      ].map((name, index) => kwargs[name] ?? positional[index]);
      const current = scope();
      const relation = relationText(toPlain(table));
      const sql = [
        `select ${column} as value from ${relation}`,
        where ? `where ${where}` : '',
        `group by ${column} order by ${orderBy ?? 'count(*) desc'}`,
        maxRecords ? `limit ${Number(maxRecords)}` : '',
      ].join(' ');
      // At parse time this only marks the node for a run-time render and yields the default.
      const result = current.runQuery(sql);
      const values = result?.rows.map((row) => row[0]) ?? [];
      return values.length > 0 ? values : (toPlain(fallback) ?? []);
    });
    for (const [name, value] of Object.entries(contextGlobals(scope, this.#context)))
      env.addGlobal(name, value);
    for (const [name, value] of Object.entries(pythonBuiltins)) env.addGlobal(name, value);
    for (const [name, value] of Object.entries(extra)) env.addGlobal(name, value);
  }
}

/** Macros whose body mentions `execute` or calls such a macro (a fixpoint over the call graph). */
function macrosUsingExecute(files: { text: string }[]): Set<string> {
  const bodies = new Map<string, string>();
  for (const file of files) {
    for (const block of findBlocks(file.text)) {
      if (block.kind === 'macro') bodies.set(block.name, block.body);
      else if (block.kind === 'test') bodies.set(`test_${block.name}`, block.body);
    }
  }
  const using = new Set(
    [...bodies]
      .filter(
        ([, body]) =>
          /\bexecute\b|\bdbt\.(get_intervals_between|date_spine)\b/.test(body) || usesConfigMethods(body),
      )
      .map(([name]) => name),
  );
  // `adapter.dispatch('x', …)` calls whichever `<prefix>__x` is found: an edge to each of them.
  const dispatched = new Map<string, string[]>();
  for (const [name, body] of bodies) {
    const targets = [...body.matchAll(/adapter\.dispatch\(\s*['"](\w+)['"]/g)].flatMap((m) =>
      [...bodies.keys()].filter((other) => other.endsWith(`__${m[1]}`)),
    );
    if (targets.length > 0) dispatched.set(name, targets);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, body] of bodies) {
      if (using.has(name)) continue;
      if (dispatched.get(name)?.some((target) => using.has(target))) {
        using.add(name);
        changed = true;
        continue;
      }
      callPattern.lastIndex = 0;
      for (let m = callPattern.exec(body); m; m = callPattern.exec(body)) {
        if (using.has(m[1] as string)) {
          using.add(name);
          changed = true;
          break;
        }
      }
    }
  }
  return using;
}

/** Whether `text` calls a macro through the namespace `name` (`name.macro(`). */
function callsInto(text: string, name: string): boolean {
  return text.includes(`${name}.`) && new RegExp(`\\b${name}\\.[A-Za-z_]\\w*\\s*\\(`).test(text);
}

/** What minijinja needs changed to behave as dbt's Jinja: method calls it cannot make, Python printing. */
function rewriteForEngine(text: string, options: RewriteOptions): string {
  let out = rewriteRunStartedAt(rewriteConfigMethods(text));
  if (out.includes('modules.datetime.')) out = out.replace(datetimeCall, 'modules.datetime.$1.__call__');
  out = rewritePythonOperators(out, options.isNamespace);
  if (mayNeedRewrite(out, options, qualifiedCallPattern)) out = rewritePythonIdioms(out, options);
  return pythonPrinting(out);
}

/** `modules.datetime.datetime(` / `.date(`: a class that is also a namespace (`datetime.now()`). */
const datetimeCall = /\bmodules\.datetime\.(datetime|date)(?=\s*\()/g;
const dispatchedMacro = /^__(dbt_|ns_|dispatch_(?!error__|dynamic__))/;
const qualifiedCallPattern = /(?<![.\w])(?:([A-Za-z_]\w*)\s*\.\s*)?([A-Za-z_]\w*)\s*\(/g;

/** dbt's `flags` before a run sets them. */
const defaultFlags: Record<string, unknown> = {
  WHICH: 'parse',
  FULL_REFRESH: false,
  EMPTY: false,
  STORE_FAILURES: false,
  WARN_ERROR: false,
  FAIL_FAST: false,
  DEBUG: false,
  USE_COLORS: true,
  PARTIAL_PARSE: true,
  STATIC_PARSER: true,
  WRITE_JSON: true,
  INTROSPECT: true,
  LOG_FORMAT: 'default',
  INDIRECT_SELECTION: 'eager',
};
const emptyGraph = {
  nodes: {},
  sources: {},
  exposures: {},
  metrics: {},
  groups: {},
  semantic_models: {},
  saved_queries: {},
};

/** `adapter.drop_relation` / `rename_relation` / `create_schema` / `type()` and friends. */
function adapterStatements(run: (sql: string) => string, adapterType: string): Record<string, unknown> {
  const text = (relation: unknown) => relationText(toPlain(relation)) ?? '';
  const kind = (relation: unknown) => {
    const type = (toPlain(relation) as { type?: unknown } | undefined)?.type;
    return type === 'view' ? 'view' : 'table';
  };
  return {
    type: () => adapterType,
    drop_relation: (relation: unknown) => run(`drop ${kind(relation)} if exists ${text(relation)}`),
    truncate_relation: (relation: unknown) => run(`delete from ${text(relation)}`),
    rename_relation: (from: unknown, to: unknown) => {
      const identifier = (toPlain(to) as { identifier?: unknown } | undefined)?.identifier ?? to;
      return run(`alter ${kind(from)} ${text(from)} rename to "${String(identifier).replace(/"/g, '""')}"`);
    },
    create_schema: (relation: unknown) => {
      const plain = toPlain(relation) as { database?: unknown; schema?: unknown } | undefined;
      const parts = [plain?.database, plain?.schema]
        .filter((p) => p)
        .map((p) => `"${String(p).replace(/"/g, '""')}"`);
      return run(`create schema if not exists ${parts.join('.')}`);
    },
    drop_schema: (relation: unknown) => {
      const plain = toPlain(relation) as { database?: unknown; schema?: unknown } | undefined;
      const parts = [plain?.database, plain?.schema]
        .filter((p) => p)
        .map((p) => `"${String(p).replace(/"/g, '""')}"`);
      return run(`drop schema if exists ${parts.join('.')} cascade`);
    },
    expand_target_column_types: () => '',
    commit: () => '',
  };
}

/** Macros whose body calls `return(` (their callers take the returned value, not the text). */
function macrosReturningValues(files: { text: string }[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    if (!file.text.includes('return')) continue;
    for (const block of findBlocks(file.text)) {
      if (block.kind === 'macro' && /(?<![.\w])return\s*\(/.test(block.body)) names.add(block.name);
    }
  }
  return names;
}

/**
 * Macros whose body reads `kwargs` (Jinja lets them take undeclared keyword arguments), with the
 * parameters each declares: calls to them are rewritten (see `kwargsParams` in jinja-rewrite.ts).
 */
function macrosReadingKwargs(files: { text: string }[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of files) {
    if (!file.text.includes('kwargs')) continue;
    const params = new Map(macroSignatures(file.text, '').map((s) => [s.name, s.params.map((p) => p.name)]));
    for (const block of findBlocks(file.text)) {
      if (block.kind !== 'macro' && block.kind !== 'test') continue;
      const name = block.kind === 'test' ? `test_${block.name}` : block.name;
      const declared = params.get(name);
      if (declared && !declared.includes('kwargs') && /(?<![.\w'"])kwargs\b/.test(block.body))
        found.set(name, declared);
    }
  }
  return found;
}

/** The macro behind an alias the namespace rewrite writes (`__ns_<layer>__x`, `__dispatch_<layer>__x`, `__dbt_x`). */
function macroOfAlias(name: string): string {
  if (name.startsWith('__dbt_')) return name.slice('__dbt_'.length);
  const m = /^__(?:ns|dispatch)_\w*?__(\w+)$/.exec(name);
  return m ? (m[1] as string) : name;
}

/** Whether a text reads the node's final config (`config.get` / `config.require`). */
function usesConfigMethods(text: string): boolean {
  configMethodCall.lastIndex = 0;
  return configMethodCall.test(text);
}
