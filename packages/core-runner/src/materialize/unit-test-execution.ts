import type { ColumnDescription } from '../adapter/warehouse-adapter.js';
import { ShopsmartError } from '../errors.js';
import type { ProjectNode } from '../project/project-types.js';
import { quoteIdentifier, type RelationValue, relationValue } from '../template/relation-value.js';
import { injectCtes, stripTrailingSemicolon } from '../template/sql-compiler.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import {
  declaredColumns,
  existingColumns,
  fixtureQuery,
  fixtureRows,
  fixtureSelect,
} from './unit-test-fixtures.js';

const refText = /^\s*ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*$/;
const sourceText = /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/;

/**
 * dbt unit tests: renders the model with each input (`ref`, `source`, `this`) replaced by the
 * given rows, runs it, and compares the result with the expected rows (as multisets, on the
 * expected columns, cast to the model's column types). No warehouse table is written.
 */
export async function executeUnitTest(context: MaterializationContext): Promise<MaterializationResult> {
  const { node, project, adapter, connection, compiler } = context;
  const definition = node.unitTest;
  const model = node.attachedNode ? project.manifest.nodes[node.attachedNode] : undefined;
  if (!definition || !model)
    throw new ShopsmartError('SSA-UNIT-404', `unit test '${node.name}' has no model to test`, {
      file: node.originalFilePath,
    });
  const file = node.originalFilePath;
  const fixtures = new Map<string, { name: string; sql: string }>();
  let thisFixture: { name: string; sql: string } | undefined;
  for (const [index, given] of definition.given.entries()) {
    const name = `__dbt__unit_input_${index}`;
    if (given.input.trim() === 'this') {
      const columns = await existingColumns(
        adapter,
        connection,
        model.relation ? adapter.render(model.relation) : undefined,
      );
      thisFixture = {
        name,
        sql: fixtureQuery(given, (rows) => columns ?? declaredColumns(model, rows), file),
      };
      continue;
    }
    const target = resolveInput(given.input, model, context);
    const targetNode = project.manifest.nodes[target] ?? project.manifest.sources[target];
    const columns = await existingColumns(
      adapter,
      connection,
      targetNode?.relation ? adapter.render(targetNode.relation) : undefined,
    );
    fixtures.set(target, {
      name,
      sql: fixtureQuery(given, (rows) => columns ?? declaredColumns(targetNode, rows), file),
    });
  }
  const missing = model.dependsOn.filter((id) => !fixtures.has(id));
  if (missing.length > 0) {
    throw new ShopsmartError(
      'SSA-UNIT-002',
      `unit test '${node.name}' does not give rows for ${missing.map((id) => `'${id.split('.').slice(2).join('.')}'`).join(', ')}, an input of '${model.name}'`,
      {
        file,
        hint: 'add a `given:` entry for every ref() and source() the model reads (rows: [] for an empty input)',
      },
    );
  }
  const relationOf = (id: string): RelationValue => {
    const fixture = fixtures.get(id);
    return fixture
      ? relationValue({ schema: '', identifier: fixture.name }, fixture.name)
      : compiler.relationValueOf(id);
  };
  const incremental = definition.overrides?.macros?.is_incremental === true;
  const body = await compiler.renderWithWarehouse(model, model.rawCode, {
    incremental,
    warehouse: adapter.questionsOn(connection),
    relationOf,
    vars: definition.overrides?.vars,
    thisRelation: thisFixture
      ? relationValue({ schema: '', identifier: thisFixture.name }, thisFixture.name)
      : undefined,
    // The fixtures' names follow from the unit test's definition (its `given:` order).
    memoAs: `unit_test:${node.uniqueId}`,
  });
  const actualSql = injectCtes(stripTrailingSemicolon(body), [
    ...(thisFixture ? [thisFixture] : []),
    ...fixtures.values(),
  ]);
  const actual = quoteIdentifier(`__dbt__unit_actual_${process.pid}`);
  const expected = quoteIdentifier(`__dbt__unit_expected_${process.pid}`);
  context.recordSql(actualSql);
  for (const statement of adapter.sql.createTempTable(actual, actualSql))
    await adapter.execute(statement, connection);
  try {
    const actualColumns = await adapter.columns(actual, connection);
    const expect = definition.expect;
    let wanted: string[];
    let expectedSql: (compared: ColumnDescription[]) => string;
    if (expect.format === 'sql') {
      const sql = fixtureQuery(expect, () => undefined, file);
      wanted = (await adapter.columns(`(${sql})`, connection)).map((c) => c.name);
      expectedSql = (compared) =>
        `select ${compared.map((c) => `cast(${quoteIdentifier(c.name)} as ${c.dataType}) as ${quoteIdentifier(c.name)}`).join(', ')} from (${sql}) as __dbt__expected`;
    } else {
      const expectedRows = fixtureRows(expect.rows, expect.format, file);
      wanted = [...new Set(expectedRows.flatMap((r) => Object.keys(r)))];
      expectedSql = (compared) => fixtureSelect(expectedRows, compared, file);
    }
    const unknown = wanted.filter((c) => !actualColumns.some((a) => a.name === c));
    if (unknown.length > 0) {
      throw new ShopsmartError(
        'SSA-UNIT-005',
        `unit test '${node.name}' expects column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} that '${model.name}' does not return`,
        { file, hint: `the model returns: ${actualColumns.map((c) => c.name).join(', ')}` },
      );
    }
    const compared = actualColumns.filter((c) => wanted.includes(c.name) || wanted.length === 0);
    for (const statement of adapter.sql.createTempTable(expected, expectedSql(compared)))
      await adapter.execute(statement, connection);
    const columns = compared.map((c) => quoteIdentifier(c.name)).join(', ');
    const diff = `(select 'missing' as diff, ${columns} from ${expected} except all select 'missing', ${columns} from ${actual})
union all
(select 'unexpected' as diff, ${columns} from ${actual} except all select 'unexpected', ${columns} from ${expected})`;
    const rows = await adapter.query(diff, connection);
    if (rows.length === 0) return { status: 'pass', failures: 0, message: 'pass' };
    return {
      status: 'fail',
      failures: rows.length,
      message: `${rows.length} row${rows.length === 1 ? '' : 's'} differ from the expected output ('missing' = expected but not returned, 'unexpected' = returned but not expected)`,
      sampleRows: rows.slice(0, 10),
    };
  } finally {
    await adapter.execute(`${adapter.sql.dropTable(actual)}; ${adapter.sql.dropTable(expected)}`, connection);
  }
}

function resolveInput(input: string, model: ProjectNode, context: MaterializationContext): string {
  const ref = refText.exec(input);
  const source = sourceText.exec(input);
  const result = ref
    ? context.project.refs.ref(
        model,
        ref[2] ? [ref[1] as string, ref[2]] : [ref[1] as string],
        context.node.originalFilePath,
      )
    : source
      ? context.project.refs.source(
          model,
          [source[1] as string, source[2] as string],
          context.node.originalFilePath,
        )
      : undefined;
  if (!result) {
    throw new ShopsmartError(
      'SSA-UNIT-001',
      `unit test input '${input}' must be ref('model'), source('source', 'table') or this`,
      { file: context.node.originalFilePath },
    );
  }
  if ('error' in result) throw result.error;
  return result.uniqueId;
}
