import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, extname, isAbsolute, join } from 'node:path';
import { ShopsmartError } from '../errors.js';
import { stripTrailingSemicolon } from '../template/sql-compiler.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import { replaceStatements } from './relation-replacer.js';
import { runNodeHooks } from './run-hooks.js';

/**
 * dbt-duckdb's `external` (github.com/duckdb/dbt-duckdb, "Writing to external files"): writes the
 * model to a file — `format` parquet (default), csv or json, else inferred from the location's
 * extension; `{external_root}/{alias}.{format}` when no `location` is configured (the profile's
 * `external_root`, a folder without the extension with `partition_by`); `delimiter` for csv —
 * and points a view at it. The data is written beside the target and moved into place only when
 * complete, so a failure keeps the previous files.
 */
export async function materializeExternal(context: MaterializationContext): Promise<MaterializationResult> {
  const { node, adapter, connection, compiler, project } = context;
  const relation = node.relation;
  if (!relation) throw new Error(`${node.uniqueId} has no relation`);
  const options = (node.config.options ?? {}) as Record<string, unknown>;
  const partitionSetting = node.config.partition_by ?? options.partition_by;
  const partitionBy =
    partitionSetting === undefined || partitionSetting === null
      ? []
      : Array.isArray(partitionSetting)
        ? partitionSetting.map(String)
        : String(partitionSetting)
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
  const configured = typeof node.config.location === 'string' ? node.config.location : undefined;
  const format = externalFormat(
    node.config.format ?? options.format,
    configured,
    node.name,
    node.originalFilePath,
  );
  const delimiter = String(node.config.delimiter ?? options.delimiter ?? ',');
  const root = String(
    // dbt-duckdb's default external_root is '.', the directory dbt runs in: here the project's.
    node.config.external_root ?? project.target.extra.external_root ?? '.',
  );
  const externalRoot = isAbsolute(root) ? root : join(project.definition.rootDir, root);
  const location = configured
    ? isAbsolute(configured)
      ? configured
      : join(project.definition.rootDir, configured)
    : join(externalRoot, partitionBy.length > 0 ? relation.identifier : `${relation.identifier}.${format}`);
  const { exportFile, readFile } = adapter.sql;
  if (!exportFile || !readFile)
    throw new ShopsmartError(
      'SSA-MAT-405',
      `'${node.name}' is materialized 'external' (files), which the ${adapter.type} adapter cannot write`,
      { file: node.originalFilePath, hint: "use 'table', or build this model on a duckdb target" },
    );
  const fileOptions = { format, partitionBy, delimiter };
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
  const copy = exportFile(sql, staging, fileOptions);
  context.recordSql(copy);
  const written = await adapter.execute(copy, connection);
  const previous = `${location}.ssa-previous`;
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(location)) renameSync(location, previous);
  renameSync(staging, location);
  rmSync(previous, { recursive: true, force: true });
  const reader = readFile(location, fileOptions);
  await adapter.ensureSchema(relation.schema, connection, relation.database);
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

const formats = ['parquet', 'csv', 'json'] as const;

/** `format`, else the location's extension, else parquet (dbt-duckdb's rule). */
function externalFormat(
  configured: unknown,
  location: string | undefined,
  name: string,
  file: string,
): (typeof formats)[number] {
  if (configured !== undefined && configured !== null) {
    const format = String(configured).toLowerCase();
    if ((formats as readonly string[]).includes(format)) return format as (typeof formats)[number];
    throw new ShopsmartError('SSA-MAT-406', `external model '${name}' has format '${configured}'`, {
      file,
      hint: `use one of: ${formats.join(', ')}`,
    });
  }
  const extension = location ? extname(location).slice(1).toLowerCase() : '';
  if (extension === 'csv' || extension === 'json') return extension;
  if (extension === 'ndjson' || extension === 'jsonl') return 'json';
  return 'parquet';
}
