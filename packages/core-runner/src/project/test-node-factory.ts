import { createHash, hash } from 'node:crypto';
import { checksumOf } from './checksum.js';
import { finaliseConfig, mergeConfig } from './config-resolver.js';
import type { ProjectNode, TestDeclaration } from './project-types.js';
import { pythonRepr, pythonStr } from './python-repr.js';

/** What a generic test is attached to. */
export interface TestTarget {
  uniqueId: string;
  /** Name used in the test's name: the model name, or `<source>_<table>` for sources. */
  nameForTest: string;
  /** dbt names a source's tests `source_<test>_…`. */
  isSource?: boolean;
  /** dbt's `model` argument (`ref('x')` / `source('s', 't')`), part of the unique id's hash. */
  dbtModelArgument?: string;
  /** Jinja expression yielding the relation under test: `ref('x')` or `source('s', 't')`. */
  relationExpression: string;
  packageName: string;
  /** Absolute folder of the layer declaring the tests (their YAML paths are relative to it). */
  layerRoot: string;
  fqnPrefix: string[];
  tags: string[];
}

const builtinTests = new Set(['unique', 'not_null', 'accepted_values', 'relationships']);

// one-shot `hash` where Node has it (20.12+): much cheaper per call than a Hash object
const md5 = (text: string) =>
  typeof hash === 'function' ? hash('md5', text) : createHash('md5').update(text).digest('hex');

/** Keyword arguments that are not the test macro's (dbt takes them out before naming and hashing). */
const notArguments = new Set(['description']);

/**
 * dbt's test naming (`synthesize_generic_test_names`, core/dbt/parser/generic_test_builders.py):
 * the full name is `<test>_<model>_<args>`, the args being every keyword argument sorted by name
 * (column_name included), flattened, each `str()`-ed as Python does (`True`, `None`) and cleaned
 * to `[0-9a-zA-Z_]`, joined with `__`. The full name is the node's name, fqn and unique id; when it
 * is 64 characters or more the alias (relation and compiled file) is `<test>_<model>` cut to 30
 * characters, `_`, and the md5 of the full name.
 *
 * @example
 * testNames('accepted_values', 'stg_orders', { column_name: 'status', values: ['a', 'b'] })
 * // → { fullName: 'accepted_values_stg_orders_status__a__b', shortName: (the same) }
 */
export function testNames(
  testType: string,
  targetName: string,
  kwargs: Record<string, unknown>,
): { fullName: string; shortName: string } {
  const flat: string[] = [];
  for (const key of Object.keys(kwargs).sort()) {
    if (key === 'model' || notArguments.has(key)) continue;
    const value = kwargs[key];
    const parts = Array.isArray(value)
      ? value
      : value && typeof value === 'object'
        ? Object.values(value)
        : [value];
    flat.push(...parts.map((part) => pythonStr(part).replace(/[^0-9a-zA-Z_]+/g, '_')));
  }
  const identifier = `${testType}_${targetName}`;
  const fullName = `${identifier}_${flat.join('__')}`;
  const shortName = fullName.length >= 64 ? `${identifier.slice(0, 30)}_${md5(fullName)}` : fullName;
  return { fullName, shortName };
}

/** The node name dbt gives a generic test (its full name). */
export function testNodeName(testName: string, targetName: string, kwargs: Record<string, unknown>): string {
  return testNames(testName.replace('.', '_'), targetName, kwargs).fullName;
}

/**
 * The last 10 hex digits of dbt's test unique id: md5 of the name and the repr of its
 * test_metadata with keys sorted and every leaf `str()`-ed (schema_generic_tests.py, create_test_node).
 */
export function testIdHash(
  name: string,
  metadata: { namespace: string | undefined; name: string; kwargs: Record<string, unknown> },
): string {
  const hashable = (data: unknown): unknown => {
    if (Array.isArray(data)) return data.map(hashable);
    if (data && typeof data === 'object')
      return Object.fromEntries(
        Object.keys(data)
          .sort()
          .map((k) => [k, hashable((data as Record<string, unknown>)[k])]),
      );
    return pythonStr(data);
  };
  return md5(name + pythonRepr(hashable(metadata))).slice(-10);
}

/**
 * Turns YAML test declarations on a node/column into test nodes (not yet rendered).
 * `projectTestConfig` gives the dbt_project.yml `data_tests:` config at a test's fqn.
 */
export function createTestNodes(
  target: TestTarget,
  tests: TestDeclaration[],
  projectTestConfig: (fqn: string[]) => Record<string, unknown>,
): ProjectNode[] {
  return tests.map((test) => {
    const namespace = test.testName.includes('.')
      ? test.testName.slice(0, test.testName.indexOf('.'))
      : undefined;
    const bareName = namespace ? test.testName.slice(namespace.length + 1) : test.testName;
    const testType = `${namespace ? `${namespace}_` : ''}${target.isSource ? 'source_' : ''}${bareName}`;
    const synthesized = testNames(testType, target.nameForTest, test.kwargs);
    const name = test.name ?? synthesized.fullName;
    const fqn = [...target.fqnPrefix, name];
    const macroName = `test_${bareName}`;
    const call = renderTestCall(namespace, macroName, target.relationExpression, test.kwargs);
    const merged = mergeConfig(mergeConfig({ tags: target.tags }, projectTestConfig(fqn)), test.config);
    // A long synthesized name keeps its full form as the node name; the relation and the compiled
    // file take the short one (dbt sets it as the alias unless one is configured).
    if (!test.name && synthesized.shortName !== synthesized.fullName && merged.alias === undefined)
      (merged as Record<string, unknown>).alias = synthesized.shortName;
    const config = finaliseConfig('test', merged);
    // Left unset when nothing sets it: the test macro's own config() may (manifest-builder.ts).
    if (config.severity !== undefined) config.severity = String(config.severity).toLowerCase();
    const kwargs = Object.fromEntries(Object.entries(test.kwargs).filter(([k]) => !notArguments.has(k)));
    const hash = testIdHash(name, {
      namespace,
      name: bareName,
      kwargs: {
        ...kwargs,
        model: `{{ get_where_subquery(${target.dbtModelArgument ?? target.relationExpression}) }}`,
      },
    });
    return {
      uniqueId: `test.${target.packageName}.${name}.${hash}`,
      resourceType: 'test',
      name,
      packageName: target.packageName,
      originalFilePath: test.file,
      fqn,
      tags: config.tags,
      config,
      dependsOn: [target.uniqueId],
      dependsOnMacros: [
        builtinTests.has(bareName) && !namespace ? `macro.shopsmart.${macroName}` : macroName,
      ],
      checksum: checksumOf(call + JSON.stringify({ ...config, severity: config.severity ?? 'error' })),
      rawCode: call,
      language: 'sql',
      description: '',
      columns: {},
      meta: {},
      docs: { show: true },
      origin: {
        absolutePath: `${target.layerRoot}/${test.file}`,
        patchPath: test.file,
        patchLine: test.line,
      },
      testMetadata: { name: bareName, namespace, kwargs: test.kwargs },
      attachedNode: target.uniqueId,
      columnName: typeof test.kwargs.column_name === 'string' ? test.kwargs.column_name : undefined,
      refs: [],
      sources: [],
    } satisfies ProjectNode;
  });
}

/**
 * A literal that Jinja parses back to the same value (JSON, with Python-style constants). Strings
 * holding Jinja are rendered as dbt renders test arguments: `{{ expr }}` alone keeps the
 * expression's value; other text is rendered by a `{% set %}` block placed before the call.
 */
function jinjaLiteral(value: unknown, blocks: string[]): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    // dbt renders Jinja inside test arguments: `to: ref('dim_customers')`.
    if (/^\s*(ref|source)\s*\(/.test(value)) return value.trim();
    if (!/\{\{|\{%/.test(value)) return JSON.stringify(value);
    const single = /^\s*\{\{((?:(?!\}\}|\{\{|\{%)[\s\S])*)\}\}\s*$/.exec(value);
    if (single) return `(${(single[1] as string).trim()})`;
    const name = `__test_argument_${blocks.length}`;
    blocks.push(`{% set ${name} %}${value}{% endset %}`);
    return name;
  }
  if (Array.isArray(value)) return `[${value.map((v) => jinjaLiteral(v, blocks)).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${jinjaLiteral(v, blocks)}`)
    .join(', ')}}`;
}

function renderTestCall(
  namespace: string | undefined,
  macroName: string,
  relation: string,
  kwargs: Record<string, unknown>,
): string {
  const blocks: string[] = [];
  const args = [
    `model=${relation}`,
    ...Object.entries(kwargs).map(([key, value]) => `${key}=${jinjaLiteral(value, blocks)}`),
  ];
  const callee = namespace ? `${namespace}.${macroName}` : macroName;
  return `${blocks.join('')}{{ ${callee}(${args.join(', ')}) }}`;
}
