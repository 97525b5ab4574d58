import { ShopsmartError } from '../errors.js';
import { stripTrailingSemicolon } from '../template/sql-compiler.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';

const conditionPattern = /^\s*(=|==|!=|<>|>=|<=|>|<)\s*(\d+)\s*$/;

/** Evaluates dbt's `warn_if` / `error_if` conditions (`!=0`, `>10`, …) against a failure count. */
export function conditionHolds(condition: string, failures: number, file?: string): boolean {
  const match = conditionPattern.exec(condition);
  if (!match) {
    throw new ShopsmartError('SSA-TEST-002', `cannot read the test condition '${condition}'`, {
      file,
      hint: "write it like dbt: '!=0', '>10', '>=1'",
    });
  }
  const limit = Number(match[2]);
  switch (match[1]) {
    case '=':
    case '==':
      return failures === limit;
    case '!=':
    case '<>':
      return failures !== limit;
    case '>':
      return failures > limit;
    case '>=':
      return failures >= limit;
    case '<':
      return failures < limit;
    default:
      return failures <= limit;
  }
}

/**
 * Runs a data test: counts the rows its query returns, applies severity, warn_if and error_if,
 * keeps a few failing rows for the report, and stores all of them when `store_failures` is on.
 */
export async function executeTest(
  context: MaterializationContext,
  sampleSize = 5,
): Promise<MaterializationResult> {
  const sql = await testSql(context);
  const countSql = failureCountSql(sql, context.node);
  context.recordSql(countSql);
  const rows = await context.adapter.query(countSql, context.connection);
  return testOutcome(context, sql, Number(rows[0]?.failures ?? 0), sampleSize);
}

/** Whether a test may run inside a batch: it only counts rows (storing failures writes a table). */
export function batchableTest(node: MaterializationContext['node']): boolean {
  return node.resourceType === 'test' && node.config.store_failures !== true;
}

/**
 * Runs several data tests with one query on one connection: each test's SQL is compiled exactly
 * as `executeTest` compiles it, and their failure counts come back together from a `union all`
 * with one branch per test, so each test still gets its own count, status and failing rows (the
 * sample is read per failing test, as `executeTest` does). A test that does not compile fails on
 * its own; when the batch query fails, every test of it runs alone, so each error names the test
 * it belongs to. Tests that store failures are not batched (see `batchableTest`).
 */
export async function executeTestBatch(
  contexts: readonly MaterializationContext[],
  sampleSize = 5,
): Promise<PromiseSettledResult<MaterializationResult>[]> {
  const outcomes: PromiseSettledResult<MaterializationResult>[] = [];
  const compiled: { index: number; sql: string }[] = [];
  for (const [index, context] of contexts.entries()) {
    try {
      compiled.push({ index, sql: await testSql(context) });
    } catch (reason) {
      outcomes[index] = { status: 'rejected', reason };
    }
  }
  const settle = async (index: number, work: () => Promise<MaterializationResult>) => {
    try {
      outcomes[index] = { status: 'fulfilled', value: await work() };
    } catch (reason) {
      outcomes[index] = { status: 'rejected', reason };
    }
  };
  const first = contexts[0];
  let counts: Map<number, number> | undefined;
  if (first && compiled.length > 1) {
    const batchSql = compiled
      .map(
        ({ index, sql }) =>
          `select ${index} as ssa_test, ${failCalc((contexts[index] as MaterializationContext).node)} as failures from (\n${sql}\n) dbt_internal_test`,
      )
      .join('\nunion all\n');
    try {
      const rows = await first.adapter.query(batchSql, first.connection);
      counts = new Map(rows.map((row) => [Number(row.ssa_test), Number(row.failures ?? 0)]));
    } catch {
      // One of the tests has an error: run them one by one below, each reporting its own.
      counts = undefined;
    }
  }
  for (const { index, sql } of compiled) {
    const context = contexts[index] as MaterializationContext;
    const countSql = failureCountSql(sql, context.node);
    const failures = counts?.get(index);
    if (failures === undefined) {
      await settle(index, async () => {
        context.recordSql(countSql);
        const rows = await context.adapter.query(countSql, context.connection);
        return testOutcome(context, sql, Number(rows[0]?.failures ?? 0), sampleSize);
      });
    } else {
      context.recordSql(countSql);
      await settle(index, () => testOutcome(context, sql, failures, sampleSize));
    }
  }
  return outcomes;
}

/** The test's query as it runs: from the stored copy of its model when there is one, limited by `limit`. */
async function testSql(context: MaterializationContext): Promise<string> {
  const { node, adapter, connection, compiler } = context;
  const cached = await context.testInputs?.compiledFor(node, connection);
  let sql = stripTrailingSemicolon(
    cached ??
      (await compiler.compileForExecution(node.uniqueId, {
        incremental: false,
        warehouse: adapter.questionsOn(connection),
      })),
  );
  if (node.config.limit !== undefined && node.config.limit !== null)
    sql = `select * from (\n${sql}\n) dbt_limited limit ${Number(node.config.limit)}`;
  return sql;
}

/**
 * What a test counts as failures: dbt's `fail_calc` config (default `count(*)`), computed over the
 * rows the test returns; a calculation that comes out null (a `sum` over no rows) counts as 0.
 */
const failCalc = (node: MaterializationContext['node']) => {
  const calc = node.config.fail_calc;
  return typeof calc === 'string' && calc.trim() !== '' ? `coalesce(${calc}, 0)` : 'count(*)';
};

const failureCountSql = (sql: string, node: MaterializationContext['node']) =>
  `select ${failCalc(node)} as failures from (\n${sql}\n) dbt_internal_test`;

/** Status, message and failing rows of a test whose query returned `failures` rows. */
async function testOutcome(
  context: MaterializationContext,
  sql: string,
  failures: number,
  sampleSize: number,
): Promise<MaterializationResult> {
  const { node, adapter, connection } = context;
  let stored = '';
  if (node.config.store_failures === true && node.relation) {
    await adapter.ensureSchema(node.relation.schema, connection, node.relation.database);
    const target = adapter.render(node.relation);
    const existing = await adapter.relationKind(node.relation, connection);
    await adapter.executeAtomically(
      adapter.sql.replaceRelation(node.relation, existing, 'table', sql),
      connection,
    );
    adapter.noteRelation(node.relation, 'table');
    stored = `; failing rows stored in ${target}`;
  }
  const severity = String(node.config.severity ?? 'error');
  const errorIf = String(node.config.error_if ?? '!=0');
  const warnIf = String(node.config.warn_if ?? '!=0');
  let status: MaterializationResult['status'] = 'pass';
  if (severity === 'error' && conditionHolds(errorIf, failures, node.originalFilePath)) status = 'fail';
  else if (conditionHolds(warnIf, failures, node.originalFilePath) && failures > 0) status = 'warn';
  const sampleRows =
    failures > 0
      ? await adapter.query(`select * from (\n${sql}\n) dbt_sample limit ${sampleSize}`, connection)
      : undefined;
  const message =
    failures === 0
      ? 'pass'
      : `got ${failures} result${failures === 1 ? '' : 's'}, configured to ${status === 'fail' ? 'fail' : 'warn'} if ${status === 'fail' ? errorIf : warnIf}${stored}`;
  return { status, failures, message, sampleRows };
}
