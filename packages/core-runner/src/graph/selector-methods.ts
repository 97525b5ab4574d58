import { compileFqnMatcher } from './fqn-matcher.js';
import { fnmatchRegex, hasWildcard, pathGlobMatch } from './glob-matcher.js';
import { type GraphNode, RESOURCE_TYPES, type ResultStatus } from './graph-types.js';

/** What `state:` and `result:` compare against; absent when the caller has none. */
export interface MethodContext {
  previousChecksums?: ReadonlyMap<string, string>;
  previousStatuses?: ReadonlyMap<string, ResultStatus>;
  /** The nodes a named YAML selector selects (for `selector:`); absent without a selectors.yml. */
  resolveSelector?: (name: string) => ReadonlySet<string>;
}

export type NodePredicate = (node: GraphNode) => boolean;

/** One selection method: how it checks its value up front, and how it matches nodes. */
export interface SelectorMethod {
  /** `config` needs a key (`config.materialized`); the rest take none. */
  takesArguments: boolean;
  /** A closed set of accepted values, checked when the selector is parsed. */
  values?: readonly string[];
  /** Any other shape check on the value; returns the problem, if there is one. */
  checkValue?: (value: string) => string | undefined;
  /** Which context the method cannot work without. */
  needs?: 'state' | 'results' | 'selectors';
  /** Prepares the value once (globs, dotted parts), then tests each node cheaply. */
  compile: (value: string, args: readonly string[], context: MethodContext) => NodePredicate;
}

const isTest = (node: GraphNode) => node.resourceType === 'test';

/** An fnmatch test, skipping the regex when the value has no wildcard. */
function glob(pattern: string): (text: string) => boolean {
  if (!hasWildcard(pattern)) return (text) => text === pattern;
  const regex = fnmatchRegex(pattern);
  return (text) => regex.test(text);
}

function compilePath(raw: string): NodePredicate {
  const wanted = raw
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  const test = hasWildcard(wanted)
    ? (path: string) => pathGlobMatch(path, wanted)
    : (path: string) => path === wanted;
  return (node) => {
    // A folder selects everything under it: try the file itself, then each folder above it.
    let candidate = node.originalFilePath.replace(/\\/g, '/');
    for (;;) {
      if (test(candidate)) return true;
      const slash = candidate.lastIndexOf('/');
      if (slash <= 0) return false;
      candidate = candidate.slice(0, slash);
    }
  };
}

function compileConfig(selector: string, args: readonly string[]): NodePredicate {
  const lowered = selector.toLowerCase();
  // dbt compares test severity case-insensitively, and `true`/`false` against booleans.
  const caseless = args.length === 1 && args[0] === 'severity';
  const one = (v: unknown): boolean =>
    v === selector ||
    (caseless && typeof v === 'string' && v.toLowerCase() === lowered) ||
    (typeof v === 'boolean' && String(v) === lowered) ||
    (typeof v === 'number' && String(v) === selector);
  return (node) => {
    let value: unknown = node.config;
    for (const key of args) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return false;
      value = (value as Record<string, unknown>)[key];
    }
    return Array.isArray(value) ? value.some(one) : one(value);
  };
}

function compileSource(value: string): NodePredicate {
  const parts = value.split('.');
  const [pkg, source, table] = (
    parts.length === 3 ? parts : parts.length === 2 ? ['*', ...parts] : ['*', value, '*']
  ).map((part) => glob(part as string));
  return (node) =>
    node.resourceType === 'source' &&
    (pkg as (t: string) => boolean)(node.packageName) &&
    (source as (t: string) => boolean)(node.sourceName ?? '') &&
    (table as (t: string) => boolean)(node.name);
}

function compileExposure(value: string): NodePredicate {
  const parts = value.split('.');
  const [pkg, name] = (parts.length === 2 ? parts : ['*', value]).map((part) => glob(part as string));
  return (node) =>
    node.resourceType === 'exposure' &&
    (pkg as (t: string) => boolean)(node.packageName) &&
    (name as (t: string) => boolean)(node.name);
}

function compileTestType(value: string): NodePredicate {
  switch (value) {
    case 'generic':
    case 'schema':
      return (node) => isTest(node) && node.testMetadata !== undefined;
    case 'singular':
      return (node) => isTest(node) && node.testMetadata === undefined;
    case 'data':
      return isTest;
    default:
      return (node) => node.resourceType === 'unit_test';
  }
}

const packageMethod: SelectorMethod = {
  takesArguments: false,
  compile: (value) => {
    const test = glob(value);
    return (node) => test(node.packageName);
  },
};

const METHODS = {
  fqn: {
    takesArguments: false,
    compile: (value) => {
      const matches = compileFqnMatcher(value);
      // As in dbt, sources and exposures have their own methods and are not matched by name.
      return (node) =>
        node.resourceType !== 'source' && node.resourceType !== 'exposure' && matches(node.fqn, node.name);
    },
  },
  tag: {
    takesArguments: false,
    compile: (value) => {
      const test = glob(value);
      return (node) => node.tags.some(test);
    },
  },
  path: { takesArguments: false, compile: compilePath },
  file: {
    takesArguments: false,
    compile: (value) => {
      const test = glob(value);
      return (node) => {
        const base = node.originalFilePath.slice(node.originalFilePath.lastIndexOf('/') + 1);
        const dot = base.lastIndexOf('.');
        return test(base) || (dot > 0 && test(base.slice(0, dot)));
      };
    },
  },
  package: packageMethod,
  layer: packageMethod,
  config: { takesArguments: true, compile: compileConfig },
  resource_type: {
    takesArguments: false,
    values: RESOURCE_TYPES,
    compile: (value) => (node) => node.resourceType === value,
  },
  source: {
    takesArguments: false,
    checkValue: (value) =>
      value.split('.').length > 3
        ? 'expected source_name, source_name.table_name or layer.source_name.table_name'
        : undefined,
    compile: compileSource,
  },
  exposure: {
    takesArguments: false,
    checkValue: (value) =>
      value.split('.').length > 2 ? 'expected exposure_name or layer.exposure_name' : undefined,
    compile: compileExposure,
  },
  test_type: {
    takesArguments: false,
    values: ['generic', 'singular', 'unit', 'schema', 'data'],
    compile: compileTestType,
  },
  test_name: {
    takesArguments: false,
    compile: (value) => {
      const test = glob(value);
      return (node) =>
        (isTest(node) && node.testMetadata !== undefined && test(node.testMetadata.name)) ||
        (node.resourceType === 'unit_test' && test(node.name));
    },
  },
  state: {
    takesArguments: false,
    values: ['modified', 'new', 'old', 'unmodified'],
    needs: 'state',
    compile: (value, _args, context) => (node) => {
      const previous = context.previousChecksums?.get(node.uniqueId);
      if (value === 'new') return previous === undefined;
      if (value === 'old') return previous !== undefined;
      const same = previous === node.checksum;
      return value === 'modified' ? !same : same;
    },
  },
  result: {
    takesArguments: false,
    values: ['success', 'error', 'fail', 'warn', 'skipped', 'pass'],
    needs: 'results',
    compile: (value, _args, context) => (node) => context.previousStatuses?.get(node.uniqueId) === value,
  },
  selector: {
    takesArguments: false,
    needs: 'selectors',
    compile: (value, _args, context) => {
      const selected = context.resolveSelector?.(value) ?? new Set<string>();
      return (node) => selected.has(node.uniqueId);
    },
  },
} satisfies Record<string, SelectorMethod>;

export type SelectorMethodName = keyof typeof METHODS;

/** The selection methods by name, as in dbt; `layer` is our alias of `package`. */
export const SELECTOR_METHODS: Readonly<Record<SelectorMethodName, SelectorMethod>> = METHODS;

/** Every method name, for error messages and did-you-mean. */
export const SELECTOR_METHOD_NAMES = Object.keys(SELECTOR_METHODS) as SelectorMethodName[];

export function isSelectorMethodName(name: string): name is SelectorMethodName {
  return Object.hasOwn(SELECTOR_METHODS, name);
}
