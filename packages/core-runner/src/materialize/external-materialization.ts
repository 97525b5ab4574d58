import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { ShopsmartError } from '../errors.js';
import { stripTrailingSemicolon } from '../template/sql-compiler.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import { replaceStatements } from './relation-replacer.js';
import { runNodeHooks } from './run-hooks.js';

/**
 * dbt-duckdb's `external`: writes the model to Parquet (one file, or a Hive-partitioned folder with
 * `partition_by`) and points a view at it. The data is written beside the target and moved into
 * place only when complete, so a failure keeps the previous files.
 */
export async function materializeExternal(context: MaterializationContext): Promise<MaterializationResult> {
  const { node, adapter, connection, compiler, project } = context;
  const relation = node.relation;
  if (!relation) throw new Error(`${node.uniqueId} has no relation`);
  const partitionBy =
    node.config.partition_by === undefined
      ? []
      : Array.isArray(node.config.partition_by)
        ? node.config.partition_by.map(String)
        : String(node.config.partition_by)
            .split(',')
            .map((s) => s.trim());
  const configured = typeof node.config.location === 'string' ? node.config.location : undefined;
  const externalRoot = String(
    node.config.external_root ?? join(project.definition.rootDir, 'warehouse', 'external'),
  );
  const location = configured
    ? isAbsolute(configured)
      ? configured
      : join(project.definition.rootDir, configured)
    : join(externalRoot, partitionBy.length > 0 ? node.name : `${node.name}.parquet`);
  const { exportParquet, readParquet } = adapter.sql;
  if (!exportParquet || !readParquet)
    throw new ShopsmartError(
      'SSA-MAT-405',
      `'${node.name}' is materialized 'external' (Parquet files), which the ${adapter.type} adapter cannot write`,
      { file: node.originalFilePath, hint: "use 'table', or build this model on a duckdb target" },
    );
  const sql = stripTrailingSemicolon(
    await compiler.compileForExecution(node.uniqueId, {
      incremental: false,
      warehouse: adapter.questionsOn(connection),
    }),
  );
  await runNodeHooks(context, 'pre_hook');
  mkdirSync(dirname(location), { recursive: true });
  const staging = `${location}.ssa-writing`;
  rmSync(staging, { recursive: true, force: true });
  const copy = exportParquet(sql, staging, partitionBy);
  context.recordSql(copy);
  const written = await adapter.execute(copy, connection);
  const previous = `${location}.ssa-previous`;
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(location)) renameSync(location, previous);
  renameSync(staging, location);
  rmSync(previous, { recursive: true, force: true });
  const reader = readParquet(location, partitionBy.length > 0);
  await adapter.ensureSchema(relation.schema, connection);
  const statements = await replaceStatements(
    adapter,
    connection,
    relation,
    'view',
    `select * from ${reader}`,
  );
  for (const statement of statements) context.recordSql(statement);
  await adapter.executeAtomically(statements, connection);
  adapter.noteRelation(relation, 'view');
  await runNodeHooks(context, 'post_hook');
  return { status: 'success', rowsAffected: written, message: `external ${written ?? 0} rows → ${location}` };
}
