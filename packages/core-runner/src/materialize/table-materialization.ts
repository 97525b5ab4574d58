import { stripTrailingSemicolon } from '../template/sql-compiler.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import { replaceStatements } from './relation-replacer.js';
import { runNodeHooks } from './run-hooks.js';

/**
 * `view` and `table`: the new version is created inside the same transaction that drops or
 * replaces the old one, so a failing query leaves the previous relation exactly as it was.
 */
export async function materializeRelation(
  context: MaterializationContext,
  kind: 'view' | 'table',
): Promise<MaterializationResult> {
  const { node, adapter, connection, compiler } = context;
  const relation = node.relation;
  if (!relation) throw new Error(`${node.uniqueId} has no relation`);
  const sql = stripTrailingSemicolon(
    await compiler.compileForExecution(node.uniqueId, {
      incremental: false,
      warehouse: adapter.questionsOn(connection),
    }),
  );
  await adapter.ensureSchema(relation.schema, connection, relation.database);
  await runNodeHooks(context, 'pre_hook');
  const statements = await replaceStatements(adapter, connection, relation, kind, sql);
  for (const statement of statements) context.recordSql(statement);
  const written = await adapter.executeAtomically(statements, connection);
  adapter.noteRelation(relation, kind);
  await runNodeHooks(context, 'post_hook');
  const rowsAffected = kind === 'table' ? written : undefined;
  return {
    status: 'success',
    rowsAffected,
    message: kind === 'table' ? `table ${rowsAffected} rows` : 'view created',
  };
}
