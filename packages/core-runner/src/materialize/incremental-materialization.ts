import { ShopsmartError } from '../errors.js';
import { stripTrailingSemicolon } from '../template/sql-compiler.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import { materializeMicrobatch } from './microbatch-materialization.js';
import { runNodeHooks } from './run-hooks.js';
import { type OnSchemaChange, planSchemaChange } from './schema-change.js';
import { materializeRelation } from './table-materialization.js';

const strategies = ['append', 'merge', 'delete+insert', 'insert_overwrite', 'microbatch'] as const;
type Strategy = (typeof strategies)[number];
const schemaModes: OnSchemaChange[] = ['ignore', 'append_new_columns', 'sync_all_columns', 'fail'];

const asList = (value: unknown): string[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

/**
 * dbt's incremental materialization: first run (or --full-refresh) builds the table; later runs
 * render with `is_incremental()` true, stage the new rows in a temp table, reconcile the schema,
 * then append, merge or delete+insert on `unique_key` — all in one transaction.
 */
export async function materializeIncremental(
  context: MaterializationContext,
): Promise<MaterializationResult> {
  const { node, adapter, connection, compiler } = context;
  const relation = node.relation;
  if (!relation) throw new Error(`${node.uniqueId} has no relation`);
  const strategy = String(
    node.config.incremental_strategy ?? (node.config.unique_key ? 'merge' : 'append'),
  ) as Strategy;
  if (!strategies.includes(strategy)) {
    throw new ShopsmartError('SSA-INCR-001', `unknown incremental_strategy '${strategy}' on '${node.name}'`, {
      file: node.originalFilePath,
      hint: `use one of: ${strategies.join(', ')}`,
    });
  }
  const onSchemaChange = String(node.config.on_schema_change ?? 'ignore') as OnSchemaChange;
  if (!schemaModes.includes(onSchemaChange)) {
    throw new ShopsmartError(
      'SSA-INCR-003',
      `unknown on_schema_change '${onSchemaChange}' on '${node.name}'`,
      { file: node.originalFilePath, hint: `use one of: ${schemaModes.join(', ')}` },
    );
  }
  if (strategy === 'microbatch') return materializeMicrobatch(context);
  const uniqueKey = asList(node.config.unique_key);
  if (['merge', 'delete+insert'].includes(strategy) && uniqueKey.length === 0) {
    throw new ShopsmartError(
      'SSA-INCR-004',
      `incremental_strategy '${strategy}' on '${node.name}' needs a unique_key`,
      {
        file: node.originalFilePath,
        hint: "set unique_key='id' (or a list for a composite key), or use 'append'",
      },
    );
  }
  const existing = await adapter.relationKind(relation, connection);
  if (context.fullRefresh || existing !== 'table') {
    const result = await materializeRelation(context, 'table');
    return {
      ...result,
      message: `${context.fullRefresh ? 'full refresh' : 'initial build'}: ${result.message}`,
    };
  }

  const warehouse = adapter.questionsOn(connection);
  const sql = stripTrailingSemicolon(
    await compiler.compileForExecution(node.uniqueId, { incremental: true, warehouse }),
  );
  await runNodeHooks(context, 'pre_hook', true);
  const target = adapter.render(relation);
  const staging = adapter.quote(`${relation.identifier}__ssa_incremental`);
  for (const stage of adapter.sql.createTempTable(staging, sql)) {
    context.recordSql(stage);
    await adapter.execute(stage, connection);
  }
  try {
    const plan = planSchemaChange(
      target,
      await adapter.columns(target, connection),
      await adapter.columns(staging, connection),
      onSchemaChange,
      node.name,
      adapter.sql,
    );
    const statements = [
      ...plan.alterations,
      ...adapter.sql.incrementalWrite({
        strategy: strategy as Exclude<Strategy, 'microbatch'>,
        target,
        staging,
        columns: plan.columns,
        uniqueKey,
        predicates: asList(node.config.incremental_predicates),
        partitionBy: asList(node.config.partition_by),
      }),
    ];
    await adapter.transaction(connection, async () => {
      for (const statement of statements) {
        context.recordSql(statement);
        await adapter.execute(statement, connection);
      }
    });
    const counted = await adapter.query(`select count(*) as n from ${staging}`, connection);
    await runNodeHooks(context, 'post_hook', true);
    const rows = Number(counted[0]?.n ?? 0);
    return { status: 'success', rowsAffected: rows, message: `${strategy} ${rows} rows` };
  } finally {
    await adapter.execute(adapter.sql.dropTable(staging), connection);
  }
}
