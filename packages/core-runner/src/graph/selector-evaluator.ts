import type { ShopsmartError } from '../errors.js';
import { throwIfAny } from '../errors.js';
import { ancestorsOf, childrensParentsOf, descendantsOf } from './graph-traversal.js';
import type {
  Graph,
  IndirectSelection,
  ResultStatus,
  SelectionResult,
  SelectOptions,
} from './graph-types.js';
import { expandIndirect, incorporateIndirect, type SelectionBundle } from './indirect-selection.js';
import type { SelectorAst, SelectorAtom } from './selector-ast.js';
import type { SelectorDefinition, SelectorDefinitions, SelectorExpression } from './selector-definitions.js';
import { SelectorContextError, UnknownSelectorError } from './selector-errors.js';
import { type MethodContext, SELECTOR_METHODS } from './selector-methods.js';
import { parseSelector, parseSelectorCollecting } from './selector-parser.js';

type SetOperation = 'union' | 'intersection' | 'difference';

function combineSets(operation: SetOperation, sets: Set<string>[]): Set<string> {
  const [first, ...rest] = operation === 'intersection' ? [...sets].sort((a, b) => a.size - b.size) : sets;
  if (!first) return new Set();
  const result = new Set(first);
  for (const set of rest) {
    if (operation === 'union') for (const id of set) result.add(id);
    else if (operation === 'difference') for (const id of set) result.delete(id);
    else for (const id of result) if (!set.has(id)) result.delete(id);
  }
  return result;
}

/** dbt's group step: combine the direct sets, combine direct ∪ indirect, then let waiting tests in. */
function combine(graph: Graph, operation: SetOperation, bundles: SelectionBundle[], mode: IndirectSelection) {
  // A group of one is the common case (`-s x`); copying its sets would only cost time.
  if (bundles.length === 1 && operation !== 'difference') return bundles[0] as SelectionBundle;
  const direct = combineSets(
    operation,
    bundles.map((b) => b.direct),
  );
  const indirect = combineSets(
    operation,
    bundles.map((b) => new Set([...b.direct, ...b.indirect])),
  );
  return { direct: incorporateIndirect(graph, direct, indirect, mode), indirect };
}

function evaluateAtom(graph: Graph, atom: SelectorAtom, mode: IndirectSelection, context: MethodContext) {
  const matches = SELECTOR_METHODS[atom.method].compile(atom.value, atom.methodArgs, context);
  const matched = new Set<string>();
  for (const [id, node] of graph.nodes) if (matches(node)) matched.add(id);
  const selected = new Set(matched);
  const add = (ids: Set<string>) => {
    for (const id of ids) selected.add(id);
  };
  if (atom.childrensParents) add(childrensParentsOf(graph, matched));
  if (atom.parents) add(ancestorsOf(graph, matched, atom.parentsDepth));
  if (atom.children) add(descendantsOf(graph, matched, atom.childrenDepth));
  return expandIndirect(graph, selected, mode);
}

function evaluateUnion(
  graph: Graph,
  asts: SelectorAst[],
  mode: IndirectSelection,
  context: MethodContext,
  warnings: string[],
): SelectionBundle {
  const members: SelectionBundle[] = [];
  for (const ast of asts) {
    for (const member of ast.members) {
      const bundle = combine(
        graph,
        'intersection',
        member.atoms.map((atom) => evaluateAtom(graph, atom, mode, context)),
        mode,
      );
      if (bundle.direct.size === 0) {
        warnings.push(`The selection criterion '${member.raw}' does not match any enabled nodes`);
      }
      members.push(bundle);
    }
  }
  return combine(graph, 'union', members, mode);
}

function contextFor(graph: Graph, options: SelectOptions, warnings: string[]): MethodContext {
  const resolved = new Map<string, Set<string>>();
  const resolving = new Set<string>();
  const context: MethodContext = {
    ...(options.state
      ? { previousChecksums: new Map(Object.entries(options.state.nodes).map(([id, n]) => [id, n.checksum])) }
      : {}),
    ...(options.results
      ? {
          previousStatuses: new Map<string, ResultStatus>(
            options.results.results.map((r) => [r.uniqueId, r.status]),
          ),
        }
      : {}),
  };
  const { selectors } = options;
  if (selectors)
    context.resolveSelector = (name) => {
      const known = resolved.get(name);
      if (known) return known;
      const definition = selectors.selectors.get(name);
      // Unknown names and cycles are reported before evaluation; this only guards against loops.
      if (!definition || resolving.has(name)) return new Set();
      resolving.add(name);
      const mode = options.indirectSelection ?? 'eager';
      const set = evaluateExpression(graph, definition.definition, mode, context, warnings).direct;
      resolving.delete(name);
      resolved.set(name, set);
      return set;
    };
  return context;
}

/** A YAML selector's expression: CLI-style text, union or intersection, minus its `exclude`. */
function evaluateExpression(
  graph: Graph,
  expression: SelectorExpression,
  mode: IndirectSelection,
  context: MethodContext,
  warnings: string[],
): SelectionBundle {
  const own = expression.kind === 'text' ? (expression.indirectSelection ?? mode) : mode;
  let bundle =
    expression.kind === 'text'
      ? evaluateUnion(graph, [parseSelector(expression.text)], own, context, warnings)
      : combine(
          graph,
          expression.kind,
          expression.items.map((item) => evaluateExpression(graph, item, mode, context, warnings)),
          mode,
        );
  if (expression.exclude) {
    // As on the command line, exclusion is eager: the tests of an excluded model go with it.
    const excluded = evaluateExpression(graph, expression.exclude, 'eager', context, warnings);
    bundle = combine(graph, 'difference', [bundle, excluded], own);
  }
  return bundle;
}

/** Parses every selector and checks `state:`/`result:` have what they need; all problems at once. */
function parseAll(options: SelectOptions, errors: ShopsmartError[]) {
  const parse = (texts: readonly string[] | undefined) =>
    (texts ?? []).filter((t) => t.trim() !== '').map((t) => parseSelectorCollecting(t, errors));
  const select = parse(options.select);
  const exclude = parse(options.exclude);
  for (const ast of [...select, ...exclude]) {
    for (const atom of ast.members.flatMap((m) => m.atoms)) {
      const needs = SELECTOR_METHODS[atom.method].needs;
      if ((needs === 'state' && !options.state) || (needs === 'results' && !options.results)) {
        errors.push(new SelectorContextError(atom.raw, needs));
      } else if (needs === 'selectors' && !options.selectors?.selectors.has(atom.value)) {
        errors.push(unknownSelector(atom.value, options.selectors));
      }
    }
  }
  if (options.selector !== undefined && !options.selectors?.selectors.has(options.selector))
    errors.push(unknownSelector(options.selector, options.selectors));
  return { select, exclude };
}

const unknownSelector = (name: string, selectors: SelectorDefinitions | undefined) =>
  new UnknownSelectorError(name, [...(selectors?.selectors.keys() ?? [])], selectors?.file);

/**
 * Every problem with a selection, without evaluating it: syntax, unknown methods (with a
 * did-you-mean), bad values, and `state:`/`result:` without a manifest or results to compare with.
 *
 * @example
 * validateSelection({ select: ['tga:nightly'] })[0]?.hint; // "did you mean 'tag'? valid methods: …"
 */
export function validateSelection(options: SelectOptions): ShopsmartError[] {
  const errors: ShopsmartError[] = [];
  parseAll(options, errors);
  return errors;
}

/**
 * Selects nodes with dbt's semantics: the union of `select` (everything when empty), tests pulled
 * in by `indirectSelection` (default eager), minus `exclude` (always eager, so excluding a model
 * excludes its tests). A selector that matches nothing adds a warning, not an error; invalid
 * selectors throw typed errors (several together as a ShopsmartErrorList). The set iterates in
 * graph order (parents first).
 *
 * @example
 * selectNodes(graph, { select: ['+dim_customers', 'tag:finance,config.materialized:table'], exclude: ['stg_legacy_*'] });
 * // { selected: Set { 'source.staging.raw.customers', 'model.staging.stg_shop__customers', … }, warnings: [] }
 * selectNodes(graph, { select: ['state:modified+'], state: previousManifest });
 */
export function selectNodes(graph: Graph, options: SelectOptions = {}): SelectionResult {
  const errors: ShopsmartError[] = [];
  const { select, exclude } = parseAll(options, errors);
  throwIfAny(errors);
  const mode = options.indirectSelection ?? 'eager';
  const warnings: string[] = [];
  const context = contextFor(graph, options, warnings);

  // dbt: `--selector` replaces --select/--exclude; with no selection at all, the selector marked
  // `default: true` applies.
  const named =
    options.selector ??
    (select.length === 0 && exclude.length === 0 ? options.selectors?.defaultName : undefined);
  if (named !== undefined) {
    if (options.selector !== undefined && (select.length > 0 || exclude.length > 0))
      warnings.push(`--selector ${named} is given: --select and --exclude are ignored, as in dbt`);
    const definition = options.selectors?.selectors.get(named) as SelectorDefinition;
    const chosen = evaluateExpression(graph, definition.definition, mode, context, warnings).direct;
    return {
      selected: new Set(graph.order.filter((id) => chosen.has(id))),
      warnings,
      selector: named,
    };
  }

  const included: SelectionBundle =
    select.length === 0
      ? { direct: new Set(graph.nodes.keys()), indirect: new Set() }
      : evaluateUnion(graph, select, mode, context, warnings);
  let chosen = included.direct;
  if (exclude.length > 0) {
    // dbt always excludes eagerly: tests of an excluded model go with it.
    const excluded = evaluateUnion(graph, exclude, 'eager', context, warnings);
    chosen = combine(graph, 'difference', [included, excluded], mode).direct;
  }
  // Graph order makes the result deterministic and ready for execution as it stands.
  return { selected: new Set(graph.order.filter((id) => chosen.has(id))), warnings };
}
