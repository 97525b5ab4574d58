import { ShopsmartError } from '../errors.js';
import type { ColumnInfo, FreshnessConfig, TestDeclaration, UnitTestDefinition } from './project-types.js';
import type { LayerProperties, ModelVersionEntry } from './properties-types.js';

import type { YamlFile } from './yaml-reader.js';

/** Config keys a test accepts at the top level of its arguments (older dbt style) or under `config:`. */
const testConfigKeys = new Set([
  'severity',
  'where',
  'limit',
  'warn_if',
  'error_if',
  'fail_calc',
  'store_failures',
  'store_failures_as',
  'tags',
  'enabled',
  'meta',
  'schema',
  'alias',
  'database',
]);

const knownTopLevelKeys = new Set([
  'version',
  'models',
  'sources',
  'seeds',
  'snapshots',
  'analyses',
  'macros',
  'exposures',
  'metrics',
  'semantic_models',
  'unit_tests',
  'data_tests',
  'groups',
  'saved_queries',
]);

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);

/**
 * Reads dbt v2 property YAML (`models:`, `sources:`, `seeds:`, `exposures:`, …) into patches,
 * collecting every shape error with its line rather than stopping at the first.
 */
export function parseProperties(yaml: YamlFile, into: LayerProperties, relFile: string): ShopsmartError[] {
  const errors: ShopsmartError[] = [];
  const root = yaml.value;
  if (!isObj(root)) return errors;
  const fail = (path: (string | number)[], message: string, hint?: string) =>
    errors.push(
      new ShopsmartError('SSA-YAML-002', message, { file: relFile, line: yaml.lineOf(path), hint }),
    );

  for (const key of Object.keys(root)) {
    if (!knownTopLevelKeys.has(key)) {
      fail([key], `unknown top-level key '${key}'`, `expected one of: ${[...knownTopLevelKeys].join(', ')}`);
    }
  }

  const parseTests = (value: unknown, path: (string | number)[], columnName?: string): TestDeclaration[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      fail(path, 'data_tests must be a list');
      return [];
    }
    const tests: TestDeclaration[] = [];
    value.forEach((entry, index) => {
      const line = yaml.lineOf([...path, index]);
      if (typeof entry === 'string') {
        tests.push({
          testName: entry,
          kwargs: columnName ? { column_name: columnName } : {},
          config: {},
          file: relFile,
          line,
        });
        return;
      }
      if (!isObj(entry) || Object.keys(entry).length === 0) {
        fail([...path, index], 'a test must be a name or a mapping `{ test_name: { arguments } }`');
        return;
      }
      const keys = Object.keys(entry);
      const testName = str(entry.test_name ?? keys.find((k) => k !== 'name' && k !== 'config'));
      const body = isObj(entry[testName]) ? (entry[testName] as Obj) : {};
      const args: Obj = isObj(body.arguments) ? { ...(body.arguments as Obj) } : {};
      const config: Obj = isObj(body.config)
        ? { ...(body.config as Obj) }
        : isObj(entry.config)
          ? { ...(entry.config as Obj) }
          : {};
      for (const [argName, argValue] of Object.entries(body)) {
        if (argName === 'arguments' || argName === 'config' || argName === 'name') continue;
        if (testConfigKeys.has(argName)) config[argName] = argValue;
        else args[argName] = argValue;
      }
      if (columnName) args.column_name = columnName;
      const explicitName = str(body.name ?? (entry.test_name ? entry.name : undefined)) || undefined;
      tests.push({ testName, kwargs: args, config, name: explicitName, file: relFile, line });
    });
    return tests;
  };

  const parseColumns = (value: unknown, path: (string | number)[]): ColumnInfo[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      fail(path, 'columns must be a list of `- name: ...` entries');
      return [];
    }
    return value.flatMap((column, index) => {
      if (!isObj(column) || typeof column.name !== 'string') {
        fail([...path, index], 'each column needs a `name`');
        return [];
      }
      const name = column.name;
      return [
        {
          name,
          description: str(column.description),
          dataType: typeof column.data_type === 'string' ? column.data_type : undefined,
          tests: parseTests(
            column.data_tests ?? column.tests,
            [...path, index, column.data_tests ? 'data_tests' : 'tests'],
            name,
          ),
          meta: isObj(column.meta) ? column.meta : {},
        },
      ];
    });
  };

  const parseVersions = (list: unknown[], path: (string | number)[]): ModelVersionEntry[] =>
    list.flatMap((entry, index) => {
      if (!isObj(entry) || entry.v === undefined || entry.v === null) {
        fail([...path, index], 'each model version needs a `v`');
        return [];
      }
      const columnEntries = Array.isArray(entry.columns) ? entry.columns : [];
      const selector = columnEntries.find((c) => isObj(c) && ('include' in c || 'exclude' in c)) as
        | Obj
        | undefined;
      const include = selector?.include;
      return [
        {
          v: entry.v as string | number,
          ...(typeof entry.defined_in === 'string' ? { definedIn: entry.defined_in } : {}),
          ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
          config: isObj(entry.config) ? { ...entry.config } : {},
          columns: parseColumns(
            columnEntries.filter((c) => c !== selector),
            [...path, index, 'columns'],
          ),
          ...(include === 'all' || include === '*'
            ? { include: 'all' as const }
            : Array.isArray(include)
              ? { include: include.map(String) }
              : {}),
          ...(Array.isArray(selector?.exclude)
            ? { exclude: (selector.exclude as unknown[]).map(String) }
            : {}),
          tests: parseTests(entry.data_tests ?? entry.tests, [...path, index, 'data_tests']),
          line: yaml.lineOf([...path, index]),
        },
      ];
    });

  const parsePatches = (section: 'models' | 'seeds' | 'snapshots' | 'analyses') => {
    const list = root[section];
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) {
      fail([section], `'${section}' must be a list`);
      return;
    }
    list.forEach((entry, index) => {
      const path = [section, index];
      if (!isObj(entry) || typeof entry.name !== 'string') {
        fail(path, `each entry of '${section}' needs a \`name\``);
        return;
      }
      const existing = into[section].get(entry.name);
      if (existing) {
        fail(
          path,
          `'${entry.name}' is described twice (also in ${existing.file}:${existing.line})`,
          'keep one entry per node',
        );
        return;
      }
      const config = isObj(entry.config) ? { ...entry.config } : {};
      if (Array.isArray(entry.tags)) config.tags = entry.tags;
      into[section].set(entry.name, {
        name: entry.name,
        relation: typeof entry.relation === 'string' ? entry.relation : undefined,
        description: str(entry.description),
        config,
        columns: parseColumns(entry.columns, [...path, 'columns']),
        tests: parseTests(entry.data_tests ?? entry.tests, [
          ...path,
          entry.data_tests ? 'data_tests' : 'tests',
        ]),
        meta: isObj(entry.meta) ? entry.meta : {},
        docsShow: !(isObj(entry.docs) && entry.docs.show === false),
        ...(section === 'models' && Array.isArray(entry.versions)
          ? { versions: parseVersions(entry.versions, [...path, 'versions']) }
          : {}),
        ...(entry.latest_version !== undefined && entry.latest_version !== null
          ? { latestVersion: entry.latest_version as string | number }
          : {}),
        file: relFile,
        line: yaml.lineOf(path),
      });
    });
  };
  parsePatches('models');
  parsePatches('seeds');
  parsePatches('snapshots');
  parsePatches('analyses');

  const sources = root.sources;
  if (Array.isArray(sources)) {
    sources.forEach((source, sIndex) => {
      if (!isObj(source) || typeof source.name !== 'string') {
        fail(['sources', sIndex], 'each source needs a `name`');
        return;
      }
      const sourceFreshness = isObj(source.freshness)
        ? (source.freshness as FreshnessConfig)
        : source.freshness === null
          ? null
          : undefined;
      const sourceConfig = isObj(source.config) ? source.config : {};
      const tables = Array.isArray(source.tables) ? source.tables : [];
      tables.forEach((table, tIndex) => {
        const path = ['sources', sIndex, 'tables', tIndex];
        if (!isObj(table) || typeof table.name !== 'string') {
          fail(path, 'each source table needs a `name`');
          return;
        }
        const tableConfig = isObj(table.config) ? table.config : {};
        const freshness =
          table.freshness === null
            ? null
            : isObj(table.freshness)
              ? (table.freshness as FreshnessConfig)
              : (sourceFreshness ?? null);
        into.sources.push({
          sourceName: source.name as string,
          name: table.name,
          identifier: str(table.identifier) || table.name,
          schema: str(source.schema) || (source.name as string),
          database: typeof source.database === 'string' ? source.database : undefined,
          description: str(table.description),
          sourceDescription: str(source.description),
          loadedAtField:
            str(
              table.loaded_at_field ??
                tableConfig.loaded_at_field ??
                source.loaded_at_field ??
                sourceConfig.loaded_at_field,
            ) || undefined,
          freshness,
          columns: parseColumns(table.columns, [...path, 'columns']),
          tests: parseTests(table.data_tests ?? table.tests, [
            ...path,
            table.data_tests ? 'data_tests' : 'tests',
          ]),
          tags: [
            ...(Array.isArray(source.tags) ? source.tags.map(String) : []),
            ...(Array.isArray(table.tags) ? table.tags.map(String) : []),
          ],
          meta: isObj(table.meta) ? table.meta : {},
          enabled: tableConfig.enabled !== false && sourceConfig.enabled !== false,
          file: relFile,
          line: yaml.lineOf(path),
        });
      });
    });
  } else if (sources !== undefined) fail(['sources'], "'sources' must be a list");

  const exposures = root.exposures;
  if (Array.isArray(exposures)) {
    exposures.forEach((exposure, index) => {
      const path = ['exposures', index];
      if (!isObj(exposure) || typeof exposure.name !== 'string') {
        fail(path, 'each exposure needs a `name`');
        return;
      }
      if (!isObj(exposure.owner))
        fail([...path, 'owner'], `exposure '${exposure.name}' needs an owner (name and/or email)`);
      into.exposures.push({
        name: exposure.name,
        label: typeof exposure.label === 'string' ? exposure.label : undefined,
        type: str(exposure.type) || 'dashboard',
        maturity: typeof exposure.maturity === 'string' ? exposure.maturity : undefined,
        url: typeof exposure.url === 'string' ? exposure.url : undefined,
        description: str(exposure.description),
        owner: isObj(exposure.owner) ? exposure.owner : {},
        dependsOn: Array.isArray(exposure.depends_on) ? exposure.depends_on.map(String) : [],
        tags: Array.isArray(exposure.tags) ? exposure.tags.map(String) : [],
        meta: isObj(exposure.meta) ? exposure.meta : {},
        file: relFile,
        line: yaml.lineOf(path),
      });
    });
  }

  const macros = root.macros;
  if (Array.isArray(macros)) {
    macros.forEach((macro, index) => {
      if (!isObj(macro) || typeof macro.name !== 'string') {
        fail(['macros', index], 'each macro entry needs a `name`');
        return;
      }
      into.macros.set(macro.name, {
        name: macro.name,
        description: str(macro.description),
        arguments: Array.isArray(macro.arguments)
          ? macro.arguments.filter(isObj).map((a) => ({
              name: str(a.name),
              type: str(a.type) || undefined,
              description: str(a.description),
            }))
          : [],
        file: relFile,
        line: yaml.lineOf(['macros', index]),
      });
    });
  }

  const unitTests = root.unit_tests;
  if (Array.isArray(unitTests)) {
    unitTests.forEach((test, index) => {
      const path = ['unit_tests', index];
      if (!isObj(test) || typeof test.name !== 'string' || typeof test.model !== 'string') {
        fail(path, 'each unit test needs a `name` and a `model`');
        return;
      }
      const given = Array.isArray(test.given) ? test.given.filter(isObj) : [];
      into.unitTests.push({
        name: test.name,
        model: test.model,
        description: str(test.description),
        given: given.map((g) => ({ input: str(g.input), ...unitRows(g) })),
        expect: unitRows(isObj(test.expect) ? test.expect : {}),
        overrides: isObj(test.overrides) ? (test.overrides as UnitTestDefinition['overrides']) : undefined,
        config: isObj(test.config) ? test.config : {},
        file: relFile,
        line: yaml.lineOf(path),
      });
    });
  }
  return errors;
}

/** A unit test's rows as written: a list (dict), text (csv / sql), or a `fixture` file name. */
function unitRows(entry: Obj): { rows: Obj[] | string; format: string; fixture?: string } {
  const rows =
    Array.isArray(entry.rows) || typeof entry.rows === 'string' ? (entry.rows as Obj[] | string) : [];
  const fixture = typeof entry.fixture === 'string' && entry.fixture ? entry.fixture : undefined;
  return { rows, format: str(entry.format) || 'dict', ...(fixture ? { fixture } : {}) };
}
