import { ShopsmartError } from '../errors.js';
import { literal } from '../adapter/duckdb-adapter.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import { replaceStatements } from './relation-replacer.js';

/**
 * Loads a CSV seed into a table with DuckDB's CSV reader: `column_types` fix declared columns,
 * `delimiter` and `quote_columns` behave as in dbt. The load happens inside the replacing
 * transaction, so a malformed file leaves the previous seed table untouched.
 */
export async function materializeSeed(context: MaterializationContext): Promise<MaterializationResult> {
  const { node, adapter, connection } = context;
  const relation = node.relation;
  if (!relation || !node.seedPath) throw new Error(`${node.uniqueId} has no relation or file`);
  const columnTypes = (node.config.column_types ?? {}) as Record<string, string>;
  const delimiter = String(node.config.delimiter ?? ',');
  const options = [`header = true`, `delim = ${literal(delimiter)}`, `strict_mode = true`, `null_padding = false`];
  if (Object.keys(columnTypes).length > 0) {
    options.push(`types = {${Object.entries(columnTypes).map(([c, t]) => `${literal(c)}: ${literal(String(t))}`).join(', ')}}`);
  }
  const select = `select * from read_csv(${literal(node.seedPath)}, ${options.join(', ')})`;
  await adapter.ensureSchema(relation.schema, connection);
  const statements = await replaceStatements(adapter, connection, relation, 'table', select);
  let rowsAffected = 0;
  try {
    for (const statement of statements) context.recordSql(statement);
    rowsAffected = (await adapter.executeAtomically(statements, connection)) ?? 0;
    adapter.noteRelation(relation, 'table');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line[: ]+(\d+)/i.exec(message)?.[1];
    const column = /column[: ]+"?([\w ]+?)"?[\s,.]/i.exec(message)?.[1];
    throw new ShopsmartError('SSA-SEED-001', `seed '${node.name}' could not be loaded: ${message.split('\n')[0]}`, {
      file: node.originalFilePath,
      line: line ? Number(line) : undefined,
      hint: `${column ? `look at column '${column}'${line ? ` on row ${line}` : ''}; ` : ''}every row needs the header's number of fields and values matching column_types; the previous table was kept`,
    });
  }
  return { status: 'success', rowsAffected, message: `seed ${rowsAffected} rows` };
}
