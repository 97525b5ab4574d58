import { ShopsmartError } from '../errors.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import type { SnapshotSpec } from './snapshot-config.js';
import {
  changeTypeColumn,
  keyAliases,
  type StagingPlan,
  snapshotMergeStatements,
  snapshotStagingSql,
} from './snapshot-sql.js';

/**
 * A later run of a snapshot: stage the changes in a temp table, add columns the query gained,
 * then close replaced versions and insert new ones — the last three in one transaction.
 *
 * @example
 * await mergeSnapshot(context, spec, 'select * from "raw"."customers"', "timestamp '2024-05-01 12:00:00'");
 * // → { status: 'success', rowsAffected: 3, message: 'snapshot: 2 new versions, 1 closed' }
 */
export async function mergeSnapshot(
  context: MaterializationContext,
  spec: SnapshotSpec,
  sourceSql: string,
  now: string,
): Promise<MaterializationResult> {
  const { node, adapter, connection } = context;
  const relation = node.relation;
  if (!relation) throw new Error(`${node.uniqueId} has no relation`);
  const target = adapter.render(relation);
  const targetColumns = (await adapter.columns(target, connection)).map((c) => c.name);
  const has = new Set(targetColumns.map((c) => c.toLowerCase()));
  const metaColumns = [
    spec.columns.dbt_scd_id,
    spec.columns.dbt_updated_at,
    spec.columns.dbt_valid_from,
    spec.columns.dbt_valid_to,
  ];
  const absent = metaColumns.filter((c) => !has.has(c.toLowerCase()));
  if (absent.length > 0) {
    throw new ShopsmartError(
      'SSA-SNAP-021',
      `${relation.schema}.${relation.identifier} is not a snapshot table: it has no ${absent.join(', ')}`,
      {
        file: node.originalFilePath,
        hint: 'a table of the same name already exists; drop it, or point the snapshot elsewhere with target_schema or alias',
      },
    );
  }

  const sourceColumns = (await adapter.columns(`(\n${sourceSql}\n) as snapshot_query`, connection)).map(
    (c) => c.name,
  );
  const plan: StagingPlan = { checkColumns: [], columnAdded: false, sourceColumns, targetColumns };
  if (spec.strategy === 'check') {
    // As dbt: the checked columns are the query's (all, or the check_cols selected from it); one
    // the snapshot lacks marks every row changed.
    const checked =
      spec.checkCols === 'all'
        ? sourceColumns
        : (
            await adapter.columns(
              `(select ${spec.checkCols.join(', ')} from (\n${sourceSql}\n) as subq) as check_cols`,
              connection,
            )
          ).map((c) => c.name);
    plan.checkColumns = checked.filter((c) => has.has(c.toLowerCase()));
    plan.columnAdded = plan.checkColumns.length < checked.length;
  }

  const staging = adapter.quote(`${relation.identifier}__ssa_snapshot_staging`);
  for (const stage of adapter.sql.createTempTable(
    staging,
    snapshotStagingSql(spec, sourceSql, target, plan, now),
  )) {
    context.recordSql(stage);
    await adapter.execute(stage, connection);
  }
  try {
    const internal = new Set([changeTypeColumn, ...keyAliases(spec)]);
    const stagingColumns = (await adapter.columns(staging, connection)).filter(
      (c) => !internal.has(c.name.toLowerCase()),
    );
    const statements = stagingColumns
      .filter((c) => !has.has(c.name.toLowerCase()))
      .map((c) => adapter.sql.addColumn(target, c));
    const { close, insert } = snapshotMergeStatements(
      spec,
      target,
      staging,
      stagingColumns.map((c) => c.name),
    );
    const changed = await adapter.transaction(connection, async () => {
      for (const statement of statements) {
        context.recordSql(statement);
        await adapter.execute(statement, connection);
      }
      context.recordSql(close);
      const closed = (await adapter.execute(close, connection)) ?? 0;
      context.recordSql(insert);
      const inserted = (await adapter.execute(insert, connection)) ?? 0;
      return { closed, inserted };
    });
    const added =
      statements.length > 0 ? `, ${statements.length} column${statements.length === 1 ? '' : 's'} added` : '';
    const message =
      changed.closed + changed.inserted === 0
        ? `snapshot unchanged${added}`
        : `snapshot: ${changed.inserted} new version${changed.inserted === 1 ? '' : 's'}, ${changed.closed} closed${added}`;
    return { status: 'success', rowsAffected: changed.closed + changed.inserted, message };
  } finally {
    await adapter.execute(adapter.sql.dropTable(staging), connection);
  }
}
