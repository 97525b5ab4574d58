import type { Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { ShopsmartError } from '../errors.js';
import { yamlLibrary } from '../project/yaml-library.js';
import { didYouMean, formatSuggestions } from './did-you-mean.js';
import type { IndirectSelection } from './graph-types.js';
import { parseSelectorCollecting } from './selector-parser.js';

// The YAML library loads only when a selectors.yml is read.
const isMap = (node: unknown): node is YAMLMap => yamlLibrary().isMap(node);
const isSeq = (node: unknown): node is YAMLSeq => yamlLibrary().isSeq(node);
const isScalar = (node: unknown): node is Scalar => yamlLibrary().isScalar(node);

/**
 * One argument of a YAML selector definition. `text` is dbt's CLI grammar (a CLI-style string, or
 * the `[@][N+]method:value[+N]` a key-value pair or full dictionary stands for); `union` and
 * `intersection` combine their items; `exclude` is subtracted from what the node itself selects.
 */
export type SelectorExpression =
  | {
      kind: 'text';
      text: string;
      line: number;
      indirectSelection?: IndirectSelection;
      exclude?: SelectorExpression;
    }
  | {
      kind: 'union' | 'intersection';
      items: SelectorExpression[];
      line: number;
      exclude?: SelectorExpression;
    };

/** A named selector of selectors.yml. */
export interface SelectorDefinition {
  name: string;
  description?: string;
  default: boolean;
  definition: SelectorExpression;
  /** Where it is written (the file as given to the parser, 1-based line of `- name:`). */
  file: string;
  line: number;
}

/** Every selector of a project's selectors.yml, by name (in file order). */
export interface SelectorDefinitions {
  file: string;
  selectors: Map<string, SelectorDefinition>;
  /** The selector marked `default: true`, used when a command is given no selection at all. */
  defaultName?: string;
}

const FULL_KEYS = [
  'method',
  'value',
  'children',
  'parents',
  'children_depth',
  'parents_depth',
  'childrens_parents',
  'indirect_selection',
  'exclude',
] as const;
const INDIRECT: readonly IndirectSelection[] = ['eager', 'cautious', 'buildable', 'empty'];
const SELECTOR_KEYS = ['name', 'description', 'default', 'definition'];

/**
 * Reads the text of a selectors.yml (dbt's YAML selectors) into definitions. Every problem is
 * collected with its file and line: bad YAML, a selector without a name or definition, duplicate
 * names, several defaults, unknown keys (with a did-you-mean), bad methods or values, references
 * (`method: selector`) to selectors that do not exist, and reference cycles.
 *
 * @example
 * parseSelectorDefinitions('selectors:\n  - name: nightly\n    definition: "tag:nightly"\n', 'selectors.yml');
 * // { definitions: { file: 'selectors.yml', selectors: Map { 'nightly' => { … definition: { kind: 'text', text: 'tag:nightly' } } } }, errors: [] }
 */
export function parseSelectorDefinitions(
  text: string,
  file: string,
): { definitions: SelectorDefinitions; errors: ShopsmartError[] } {
  const errors: ShopsmartError[] = [];
  const definitions: SelectorDefinitions = { file, selectors: new Map() };
  const { LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  const problem = (line: number, message: string, hint?: string) =>
    errors.push(
      new ShopsmartError('SSA-SELECTORS-INVALID', message, { file, line, ...(hint ? { hint } : {}) }),
    );
  for (const error of document.errors) {
    problem(error.linePos?.[0].line ?? 1, `selectors.yml is not valid YAML: ${error.message.split('\n')[0]}`);
  }
  if (errors.length > 0) return { definitions, errors };
  const root = document.contents;
  if (!isMap(root) || !isSeq(root.get('selectors', true))) {
    problem(
      lineOf(root),
      'selectors.yml must hold a top-level `selectors:` list',
      'see the example in the CLI README',
    );
    return { definitions, errors };
  }
  const list = root.get('selectors', true) as unknown as { items: unknown[] };
  const references: { from: string; name: string; line: number }[] = [];
  // Names as written (even when their definition has a problem), for duplicates.
  const seen = new Map<string, number>();
  for (const item of list.items) {
    const itemNode = item as Node;
    if (!isMap(item)) {
      problem(lineOf(itemNode), 'each selector must be a mapping with `name` and `definition`');
      continue;
    }
    const line = lineOf(itemNode);
    for (const pair of item.items) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      if (!SELECTOR_KEYS.includes(key))
        problem(
          lineOf(pair.key as Node),
          `unknown key '${key}' in a selector`,
          formatSuggestions(didYouMean(key, SELECTOR_KEYS)) ?? `keys: ${SELECTOR_KEYS.join(', ')}`,
        );
    }
    const name = item.get('name');
    if (typeof name !== 'string' || name.trim() === '') {
      problem(line, 'a selector needs a `name`');
      continue;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      problem(line, `selector '${name}' is defined twice (first at line ${first})`);
      continue;
    }
    seen.set(name, line);
    const defaultValue = item.get('default');
    const isDefault = defaultValue === true || defaultValue === 'true' || defaultValue === 'True';
    if (
      defaultValue !== undefined &&
      typeof defaultValue !== 'boolean' &&
      !/^(true|false)$/i.test(String(defaultValue))
    )
      problem(line, `selector '${name}': \`default\` must be true or false, got '${String(defaultValue)}'`);
    const definitionNode = item.get('definition', true) as Node | undefined;
    if (definitionNode === undefined || (isScalar(definitionNode) && definitionNode.value === null)) {
      problem(line, `selector '${name}' has no \`definition\``);
      continue;
    }
    const context = { name, problem, lineOf, references };
    const definition = parseExpression(definitionNode, context);
    if (!definition) continue;
    const description = item.get('description');
    definitions.selectors.set(name, {
      name,
      ...(typeof description === 'string' ? { description } : {}),
      default: isDefault,
      definition,
      file,
      line,
    });
    if (isDefault) {
      if (definitions.defaultName !== undefined)
        problem(
          line,
          `selectors '${definitions.defaultName}' and '${name}' both have \`default: true\`; only one selector may be the default`,
        );
      else definitions.defaultName = name;
    }
  }
  const names = [...seen.keys()];
  for (const reference of references) {
    if (!seen.has(reference.name))
      problem(
        reference.line,
        `selector '${reference.from}' refers to selector '${reference.name}', which is not defined`,
        formatSuggestions(didYouMean(reference.name, names)) ?? `selectors: ${names.join(', ')}`,
      );
  }
  for (const cycle of referenceCycles(references)) {
    const first = references.find((r) => r.from === cycle[0]);
    problem(first?.line ?? 1, `selectors refer to each other in a cycle: ${cycle.join(' > ')}`);
  }
  return { definitions, errors };
}

interface ParseContext {
  name: string;
  problem: (line: number, message: string, hint?: string) => void;
  lineOf: (node: Node | null | undefined) => number;
  references: { from: string; name: string; line: number }[];
}

function parseExpression(node: Node, context: ParseContext): SelectorExpression | undefined {
  const line = context.lineOf(node);
  if (isScalar(node)) {
    const text = String(node.value ?? '').trim();
    if (text === '') {
      context.problem(line, `selector '${context.name}': empty selector`);
      return undefined;
    }
    return checkedText(text, line, context);
  }
  if (!isMap(node)) {
    context.problem(
      line,
      `selector '${context.name}': a definition is a CLI-style string, a \`method: value\` pair, a full mapping, or union/intersection`,
    );
    return undefined;
  }
  const keys = node.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key));
  const operator = keys.find((key) => key === 'union' || key === 'intersection');
  if (operator) {
    if (keys.length > 1) {
      context.problem(line, `selector '${context.name}': '${operator}' must be the only key of its mapping`);
      return undefined;
    }
    return parseOperator(
      operator as 'union' | 'intersection',
      node.get(operator, true) as Node,
      line,
      context,
    );
  }
  if (keys.includes('method')) return parseFull(node, keys, line, context);
  if (keys.length === 1) {
    // Key-value: `tag: nightly` (no graph operators, as in dbt).
    const method = keys[0] as string;
    const value = node.get(method);
    if (method === 'exclude') {
      context.problem(
        line,
        `selector '${context.name}': 'exclude' belongs inside a union, an intersection or a full method mapping`,
      );
      return undefined;
    }
    return methodText(method, value, {}, line, context);
  }
  context.problem(
    line,
    `selector '${context.name}': a mapping needs 'method' and 'value', one 'method: value' pair, or 'union'/'intersection' (got ${keys.join(', ')})`,
  );
  return undefined;
}

function parseOperator(
  operator: 'union' | 'intersection',
  listNode: Node | undefined,
  line: number,
  context: ParseContext,
): SelectorExpression | undefined {
  if (!isSeq(listNode)) {
    context.problem(line, `selector '${context.name}': '${operator}' takes a list`);
    return undefined;
  }
  const items: SelectorExpression[] = [];
  let exclude: SelectorExpression | undefined;
  for (const item of listNode.items as Node[]) {
    if (
      isMap(item) &&
      item.items.length === 1 &&
      isScalar(item.items[0]?.key) &&
      item.items[0]?.key.value === 'exclude'
    ) {
      if (exclude) {
        context.problem(
          context.lineOf(item),
          `selector '${context.name}': only one 'exclude' per ${operator} (dbt's rule)`,
        );
        continue;
      }
      exclude = parseExclude(item.get('exclude', true) as Node, context.lineOf(item), context);
      continue;
    }
    const parsed = parseExpression(item, context);
    if (parsed) items.push(parsed);
  }
  if (listNode.items.length === 0) {
    context.problem(
      line,
      `selector '${context.name}': '${operator}' has nothing to ${operator === 'union' ? 'unite' : 'intersect'}`,
    );
    return undefined;
  }
  if (items.length === 0) return undefined;
  return { kind: operator, items, line, ...(exclude ? { exclude } : {}) };
}

function parseExclude(
  node: Node | undefined,
  line: number,
  context: ParseContext,
): SelectorExpression | undefined {
  if (!isSeq(node)) {
    context.problem(line, `selector '${context.name}': 'exclude' takes a list`);
    return undefined;
  }
  const items = (node.items as Node[])
    .map((item) => parseExpression(item, context))
    .filter((e) => e !== undefined);
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : { kind: 'union', items, line };
}

function parseFull(
  node: YAMLMap,
  keys: string[],
  line: number,
  context: ParseContext,
): SelectorExpression | undefined {
  for (const key of keys)
    if (!(FULL_KEYS as readonly string[]).includes(key))
      context.problem(
        line,
        `selector '${context.name}': unknown key '${key}'`,
        formatSuggestions(didYouMean(key, FULL_KEYS)) ?? `keys: ${FULL_KEYS.join(', ')}`,
      );
  const method = node.get('method');
  if (typeof method !== 'string') {
    context.problem(line, `selector '${context.name}': 'method' must be a method name`);
    return undefined;
  }
  const flags: FullFlags = {};
  for (const key of ['children', 'parents', 'childrens_parents'] as const) {
    const value = node.get(key);
    if (value === undefined) continue;
    if (typeof value !== 'boolean')
      context.problem(line, `selector '${context.name}': '${key}' must be true or false`);
    else flags[key] = value;
  }
  for (const key of ['children_depth', 'parents_depth'] as const) {
    const value = node.get(key);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      context.problem(line, `selector '${context.name}': '${key}' must be a whole number`);
    else flags[key] = value;
  }
  const indirect = node.get('indirect_selection');
  if (indirect !== undefined && !INDIRECT.includes(indirect as IndirectSelection)) {
    context.problem(
      line,
      `selector '${context.name}': indirect_selection must be ${INDIRECT.join(', ')}, got '${String(indirect)}'`,
      formatSuggestions(didYouMean(String(indirect), INDIRECT)),
    );
  }
  const expression = methodText(method, node.get('value'), flags, line, context);
  if (expression?.kind !== 'text') return expression;
  const excludeNode = node.get('exclude', true) as Node | undefined;
  const exclude = excludeNode === undefined ? undefined : parseExclude(excludeNode, line, context);
  return {
    ...expression,
    ...(INDIRECT.includes(indirect as IndirectSelection)
      ? { indirectSelection: indirect as IndirectSelection }
      : {}),
    ...(exclude ? { exclude } : {}),
  };
}

interface FullFlags {
  children?: boolean;
  parents?: boolean;
  childrens_parents?: boolean;
  children_depth?: number;
  parents_depth?: number;
}

/** A method and value as the CLI atom they mean: `{method: tag, value: x, parents: true, parents_depth: 2}` → `2+tag:x`. */
function methodText(
  method: string,
  value: unknown,
  flags: FullFlags,
  line: number,
  context: ParseContext,
): SelectorExpression | undefined {
  if (value === undefined || value === null || typeof value === 'object' || String(value).trim() === '') {
    context.problem(line, `selector '${context.name}': method '${method}' needs a value`);
    return undefined;
  }
  const text = String(value).trim();
  if (/[\s,]/.test(text)) {
    context.problem(
      line,
      `selector '${context.name}': the value '${text}' of '${method}' holds a space or comma`,
    );
    return undefined;
  }
  if (flags.childrens_parents && flags.children) {
    context.problem(
      line,
      `selector '${context.name}': childrens_parents (@) already includes every child; drop 'children'`,
    );
    return undefined;
  }
  const prefix = flags.childrens_parents ? '@' : flags.parents ? `${flags.parents_depth ?? ''}+` : '';
  const suffix = flags.children ? `+${flags.children_depth ?? ''}` : '';
  return checkedText(`${prefix}${method}:${text}${suffix}`, line, context);
}

function checkedText(text: string, line: number, context: ParseContext): SelectorExpression | undefined {
  const errors: ShopsmartError[] = [];
  const ast = parseSelectorCollecting(text, errors);
  for (const error of errors)
    context.problem(line, `selector '${context.name}': ${error.message}`, error.hint);
  if (errors.length > 0) return undefined;
  for (const atom of ast.members.flatMap((member) => member.atoms))
    if (atom.method === 'selector') context.references.push({ from: context.name, name: atom.value, line });
  return { kind: 'text', text, line };
}

/** Cycles among selector references, each as a chain `a > b > a`. */
function referenceCycles(references: { from: string; name: string }[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const { from, name } of references) edges.set(from, [...(edges.get(from) ?? []), name]);
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string) => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const next of edges.get(name) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...edges.keys()].sort()) if (!state.has(name)) visit(name);
  return cycles;
}
