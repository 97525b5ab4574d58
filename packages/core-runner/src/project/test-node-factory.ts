import { createHash } from 'node:crypto';
import { checksumOf } from './checksum.js';
import { finaliseConfig, mergeConfig } from './config-resolver.js';
import type { ProjectNode, TestDeclaration } from './project-types.js';

/** What a generic test is attached to. */
export interface TestTarget {
  uniqueId: string;
  /** Name used in the test's name: the model name, or `source_table` for sources. */
  nameForTest: string;
  /** Jinja expression yielding the relation under test: `ref('x')` or `source('s', 't')`. */
  relationExpression: string;
  packageName: string;
  /** Absolute folder of the layer declaring the tests (their YAML paths are relative to it). */
  layerRoot: string;
  fqnPrefix: string[];
  tags: string[];
}

const builtinTests = new Set(['unique', 'not_null', 'accepted_values', 'relationships']);

/**
 * dbt's test naming (`synthesize_generic_test_names`): `<test>_<model>_<args>` where the args are
 * every keyword argument, sorted by name (column_name included), flattened and joined with `__`;
 * names of 64 characters or more become the test name's first 30 characters and an md5.
 *
 * @example
 * testNodeName('accepted_values', 'stg_orders', { column_name: 'status', values: ['a', 'b'] })
 * // → 'accepted_values_stg_orders_status__a__b'
 * testNodeName('relationships', 'orders', { column_name: 'customer_id', to: "ref('customers')", field: 'customer_id' })
 * // → 'relationships_orders_customer_id__customer_id__ref_customers_'
 */
export function testNodeName(testName: string, targetName: string, kwargs: Record<string, unknown>): string {
  const identifier = testName.replace('.', '_');
  const flat: string[] = [];
  for (const key of Object.keys(kwargs).sort()) {
    if (key === 'model') continue;
    const value = kwargs[key];
    const parts = Array.isArray(value)
      ? value
      : value && typeof value === 'object'
        ? Object.values(value)
        : [value];
    flat.push(
      ...parts.map((part) =>
        (typeof part === 'object' && part !== null ? JSON.stringify(part) : String(part)).replace(
          /[^0-9a-zA-Z_]+/g,
          '_',
        ),
      ),
    );
  }
  const name = `${identifier}_${targetName}_${flat.join('__')}`;
  if (name.length >= 64) return `${identifier.slice(0, 30)}_${createHash('md5').update(name).digest('hex')}`;
  return name;
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
    const name = test.name ?? testNodeName(test.testName, target.nameForTest, test.kwargs);
    const fqn = [...target.fqnPrefix, name];
    const namespace = test.testName.includes('.')
      ? test.testName.slice(0, test.testName.indexOf('.'))
      : undefined;
    const bareName = namespace ? test.testName.slice(namespace.length + 1) : test.testName;
    const macroName = `test_${bareName}`;
    const call = renderTestCall(namespace, macroName, target.relationExpression, test.kwargs);
    const merged = mergeConfig(mergeConfig({ tags: target.tags }, projectTestConfig(fqn)), test.config);
    const config = finaliseConfig('test', merged);
    config.severity = String(config.severity ?? 'error').toLowerCase();
    const hash = checksumOf(`${target.uniqueId}|${name}|${JSON.stringify(test.kwargs)}`).slice(0, 10);
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
      checksum: checksumOf(call + JSON.stringify(config)),
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

/** A literal that Jinja parses back to the same value (JSON, with Python-style constants). */
function jinjaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    // dbt renders Jinja inside test arguments: `to: ref('dim_customers')`.
    if (/^\s*(ref|source)\s*\(/.test(value)) return value.trim();
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(jinjaLiteral).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${jinjaLiteral(v)}`)
    .join(', ')}}`;
}

function renderTestCall(
  namespace: string | undefined,
  macroName: string,
  relation: string,
  kwargs: Record<string, unknown>,
): string {
  const args = [
    `model=${relation}`,
    ...Object.entries(kwargs).map(([key, value]) => `${key}=${jinjaLiteral(value)}`),
  ];
  const callee = namespace ? `${namespace}.${macroName}` : macroName;
  return `{{ ${callee}(${args.join(', ')}) }}`;
}
