import { InternalError, ShopsmartError } from '../errors.js';
import { stripTrailingSemicolon } from '../template/sql-compiler.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import { runNodeHooks } from './run-hooks.js';
import { snapshotSpec } from './snapshot-config.js';
import { mergeSnapshot } from './snapshot-merge.js';
import { buildSnapshotTableSql, snapshotTimeLiteral } from './snapshot-sql.js';

/**
 * dbt's snapshot materialization (SCD type 2). The first run creates the table from the query
 * with `dbt_scd_id`, `dbt_updated_at`, `dbt_valid_from` and `dbt_valid_to` (null = current);
 * later runs close changed versions and insert new ones in one transaction, so a failure leaves
 * the snapshot as it was. `--full-refresh` does not apply: a snapshot's history is never rebuilt.
 *
 * @example
 * // snapshots/customers_snapshot.sql
 * // {% snapshot customers_snapshot %}
 * // {{ config(unique_key='customer_id', strategy='timestamp', updated_at='updated_at') }}
 * // select * from {{ source('raw', 'customers') }}
 * // {% endsnapshot %}
 * await executeRun(project, { command: 'snapshot', events });
 * // first run:  create table "snapshots"."customers_snapshot" as (select *, md5(…) as "dbt_scd_id", …)
 * // later runs: update … set "dbt_valid_to" = … ; insert into … select … where dbt_change_type = 'insert'
 */
export async function materializeSnapshot(context: MaterializationContext): Promise<MaterializationResult> {
  const { node, adapter, connection, compiler } = context;
  const relation = node.relation;
  if (!relation) throw new InternalError(`${node.uniqueId} has no relation`);
  const spec = snapshotSpec(node);
  const sourceSql = stripTrailingSemicolon(
    await compiler.compileForExecution(node.uniqueId, {
      incremental: false,
      warehouse: adapter.questionsOn(connection),
    }),
  );
  // dbt calls now() wherever it needs the snapshot time; one instant per run keeps rows consistent.
  const now = snapshotTimeLiteral(new Date());
  await adapter.ensureSchema(relation.schema, connection, relation.database);
  await runNodeHooks(context, 'pre_hook');
  const existing = await adapter.relationKind(relation, connection);
  if (existing === 'view') {
    throw new ShopsmartError(
      'SSA-SNAP-020',
      `snapshot '${node.name}' would write to ${relation.schema}.${relation.identifier}, which is a view`,
      {
        file: node.originalFilePath,
        hint: 'drop the view or give the snapshot another name or target_schema',
      },
    );
  }
  let result: MaterializationResult;
  if (existing === 'table') {
    result = await mergeSnapshot(context, spec, sourceSql, now);
  } else {
    const create = `create table ${adapter.render(relation)} as (\n${buildSnapshotTableSql(spec, sourceSql, now)}\n)`;
    context.recordSql(create);
    const rows = (await adapter.executeAtomically([create], connection)) ?? 0;
    adapter.noteRelation(relation, 'table');
    result = { status: 'success', rowsAffected: rows, message: `snapshot created with ${rows} rows` };
  }
  await runNodeHooks(context, 'post_hook');
  return result;
}
