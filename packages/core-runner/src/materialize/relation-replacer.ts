import type { DuckDBConnection } from '@duckdb/node-api';
import type { DuckDBAdapter, RelationKind } from '../adapter/duckdb-adapter.js';
import type { Relation } from '../project/project-types.js';

/**
 * Statements that replace `relation` with a new `kind` inside the caller's transaction:
 * an existing relation of the other kind is dropped first (DuckDB will not replace a view with a table).
 */
export async function replaceStatements(
  adapter: DuckDBAdapter,
  connection: DuckDBConnection,
  relation: Relation,
  kind: RelationKind,
  selectSql: string,
): Promise<string[]> {
  const existing = await adapter.relationKind(relation, connection);
  const target = adapter.render(relation);
  const statements: string[] = [];
  if (existing && existing !== kind) statements.push(`drop ${existing} ${target}`);
  statements.push(`create or replace ${kind} ${target} as (\n${selectSql}\n)`);
  return statements;
}
