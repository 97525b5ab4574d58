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
  const countSql = `select count(*) as failures from (\n${sql}\n) dbt_internal_test`;
  context.recordSql(countSql);
  const rows = await adapter.query(countSql, connection);
  const failures = Number(rows[0]?.failures ?? 0);
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
