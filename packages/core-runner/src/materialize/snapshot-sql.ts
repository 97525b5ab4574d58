import { quoteIdentifier as q } from '../template/relation-value.js';
import type { SnapshotSpec } from './snapshot-config.js';

/**
 * The SQL of dbt's snapshot materialization (dbt-adapters `snapshots/helpers.sql` and
 * `strategies.sql`), written out for DuckDB. Pure: text in, text out.
 */

/** The change-type column and key aliases the staging table has and the snapshot does not. */
export const changeTypeColumn = 'dbt_change_type';

export function keyAliases(spec: SnapshotSpec): string[] {
  return spec.compositeKey ? spec.uniqueKey.map((_, i) => `dbt_unique_key_${i + 1}`) : ['dbt_unique_key'];
}

/**
 * A timestamp literal for the snapshot time (UTC, naive), used where dbt calls `snapshot_get_time()`.
 *
 * @example
 * snapshotTimeLiteral(new Date('2024-05-01T12:00:00.250Z')) // → "timestamp '2024-05-01 12:00:00.250'"
 */
export function snapshotTimeLiteral(at: Date): string {
  return `timestamp '${at.toISOString().replace('T', ' ').replace('Z', '')}'`;
}

/** dbt's `snapshot_hash_arguments`: md5 of the arguments as text, joined by '|'. */
export function hashArguments(args: string[]): string {
  return `md5(${args.map((a) => `coalesce(cast(${a} as varchar), '')`).join(` || '|' || `)})`;
}

const updatedAtOf = (spec: SnapshotSpec, now: string) => spec.updatedAt ?? now;
const scdIdOf = (spec: SnapshotSpec, now: string) =>
  hashArguments([...spec.uniqueKey, updatedAtOf(spec, now)]);
const validToCurrentOf = (spec: SnapshotSpec, now: string) => {
  const updatedAt = updatedAtOf(spec, now);
  // Typed like updated_at, as dbt's `get_dbt_valid_to_current` does.
  return `coalesce(nullif(${updatedAt}, ${updatedAt}), ${spec.validToCurrent ?? 'null'}) as ${q(spec.columns.dbt_valid_to)}`;
};

/**
 * The first build: every source row, current.
 *
 * @example
 * buildSnapshotTableSql(spec, 'select * from "raw"."customers"', "timestamp '2024-05-01 12:00:00'")
 * // → select *, md5(coalesce(cast("id" as varchar), '') || '|' || coalesce(cast("updated_at" as varchar), '')) as "dbt_scd_id",
 * //     "updated_at" as "dbt_updated_at", "updated_at" as "dbt_valid_from",
 * //     coalesce(nullif("updated_at", "updated_at"), null) as "dbt_valid_to"
 * //   from (select * from "raw"."customers") as sbq
 */
export function buildSnapshotTableSql(spec: SnapshotSpec, sourceSql: string, now: string): string {
  const { columns } = spec;
  const updatedAt = updatedAtOf(spec, now);
  return [
    'select *,',
    `    ${scdIdOf(spec, now)} as ${q(columns.dbt_scd_id)},`,
    `    ${updatedAt} as ${q(columns.dbt_updated_at)},`,
    `    ${updatedAt} as ${q(columns.dbt_valid_from)},`,
    `    ${validToCurrentOf(spec, now)}${spec.hardDeletes === 'new_record' ? `,\n    'False' as ${q(columns.dbt_is_deleted)}` : ''}`,
    'from (',
    sourceSql,
    ') as sbq',
  ].join('\n');
}

/** What the staging query needs to know about the existing snapshot. */
export interface StagingPlan {
  /** Check strategy: the checked columns present in both the query and the snapshot. */
  checkColumns: string[];
  /** Check strategy: a checked column is new to the snapshot, so every row counts as changed. */
  columnAdded: boolean;
  /** new_record: the query's columns, and which of them the snapshot already has. */
  sourceColumns: string[];
  targetColumns: string[];
}

function rowChanged(spec: SnapshotSpec, plan: StagingPlan): string {
  const { columns } = spec;
  if (spec.strategy === 'timestamp')
    return `(snapshotted_data.${q(columns.dbt_valid_from)} < source_data.${q(columns.dbt_updated_at)})`;
  if (plan.columnAdded) return 'TRUE';
  if (plan.checkColumns.length === 0) return 'FALSE';
  const checks = plan.checkColumns.map((name) => {
    const [a, b] = [`snapshotted_data.${q(name)}`, `source_data.${q(name)}`];
    return `${a} != ${b} or ((${a} is null) and not (${b} is null)) or ((not ${a} is null) and (${b} is null))`;
  });
  return `(${checks.join('\n        or ')})`;
}

/**
 * dbt's `snapshot_staging_table`: one row per change to apply, tagged `insert`, `update`
 * (close the current version) or `delete` (close a vanished key), plus the `True` deletion rows
 * of `hard_deletes: new_record`.
 */
export function snapshotStagingSql(
  spec: SnapshotSpec,
  sourceSql: string,
  target: string,
  plan: StagingPlan,
  now: string,
): string {
  const { columns } = spec;
  const aliases = keyAliases(spec);
  const keyFields = spec.uniqueKey.map((expr, i) => `${expr} as ${aliases[i]}`).join(', ');
  const joinOn = (a: string, b: string) => aliases.map((k) => `${a}.${k} = ${b}.${k}`).join(' and ');
  const keyIsNull = (alias: string) => `${alias}.${aliases[0]} is null`;
  const isCurrent = (alias?: string) => {
    const validTo = `${alias ? `${alias}.` : ''}${q(columns.dbt_valid_to)}`;
    return spec.validToCurrent
      ? `(${validTo} = ${spec.validToCurrent} or ${validTo} is null)`
      : `${validTo} is null`;
  };
  const updatedAt = updatedAtOf(spec, now);
  const newRecord = spec.hardDeletes === 'new_record';
  const tracksDeletes = spec.hardDeletes !== 'ignore';
  const isDeleted = `snapshotted_data.${q(columns.dbt_is_deleted)}`;
  const changed = `${rowChanged(spec, plan)}${newRecord ? ` or ${isDeleted} = 'True'` : ''}`;
  const latestIsDeletion = `not (${isDeleted} = 'True' and ${isCurrent('snapshotted_data')})`;
  const inTarget = new Set(plan.targetColumns.map((c) => c.toLowerCase()));

  const ctes = [
    `snapshot_query as (\n${sourceSql}\n)`,
    `snapshotted_data as (\n    select *, ${keyFields}\n    from ${target}\n    where ${isCurrent()}\n)`,
    `insertions_source_data as (\n    select *, ${keyFields},\n        ${updatedAt} as ${q(columns.dbt_updated_at)},\n        ${updatedAt} as ${q(columns.dbt_valid_from)},\n        ${validToCurrentOf(spec, now)},\n        ${scdIdOf(spec, now)} as ${q(columns.dbt_scd_id)}\n    from snapshot_query\n)`,
    `updates_source_data as (\n    select *, ${keyFields},\n        ${updatedAt} as ${q(columns.dbt_updated_at)},\n        ${updatedAt} as ${q(columns.dbt_valid_from)},\n        ${updatedAt} as ${q(columns.dbt_valid_to)}\n    from snapshot_query\n)`,
    ...(tracksDeletes
      ? [`deletes_source_data as (\n    select *, ${keyFields}\n    from snapshot_query\n)`]
      : []),
    [
      'insertions as (',
      `    select 'insert' as ${changeTypeColumn}, source_data.*${newRecord ? `, 'False' as ${q(columns.dbt_is_deleted)}` : ''}`,
      '    from insertions_source_data as source_data',
      `    left outer join snapshotted_data on ${joinOn('snapshotted_data', 'source_data')}`,
      `    where ${keyIsNull('snapshotted_data')}`,
      `        or (not ${keyIsNull('snapshotted_data')} and (${changed}))`,
      ')',
    ].join('\n'),
    [
      'updates as (',
      `    select 'update' as ${changeTypeColumn}, source_data.*, snapshotted_data.${q(columns.dbt_scd_id)}${newRecord ? `, ${isDeleted}` : ''}`,
      '    from updates_source_data as source_data',
      `    join snapshotted_data on ${joinOn('snapshotted_data', 'source_data')}`,
      `    where (${changed})`,
      ')',
    ].join('\n'),
  ];
  if (tracksDeletes) {
    ctes.push(
      [
        'deletes as (',
        `    select 'delete' as ${changeTypeColumn}, source_data.*,`,
        `        ${now} as ${q(columns.dbt_updated_at)},`,
        `        ${now} as ${q(columns.dbt_valid_from)},`,
        `        ${now} as ${q(columns.dbt_valid_to)},`,
        `        snapshotted_data.${q(columns.dbt_scd_id)}${newRecord ? `, ${isDeleted}` : ''}`,
        '    from snapshotted_data',
        `    left join deletes_source_data as source_data on ${joinOn('snapshotted_data', 'source_data')}`,
        `    where ${keyIsNull('source_data')}${newRecord ? `\n        and ${latestIsDeletion}` : ''}`,
        ')',
      ].join('\n'),
    );
  }
  if (newRecord) {
    // The deleted key's last values, from the snapshot (a column new to the query is null).
    const values = plan.sourceColumns.map(
      (c) => `${inTarget.has(c.toLowerCase()) ? 'snapshotted_data' : 'source_data'}.${q(c)}`,
    );
    ctes.push(
      [
        'deletion_records as (',
        `    select 'insert' as ${changeTypeColumn},`,
        ...values.map((v) => `        ${v},`),
        ...aliases.map((k) => `        snapshotted_data.${k} as ${k},`),
        `        ${now} as ${q(columns.dbt_updated_at)},`,
        `        ${now} as ${q(columns.dbt_valid_from)},`,
        `        snapshotted_data.${q(columns.dbt_valid_to)} as ${q(columns.dbt_valid_to)},`,
        `        ${hashArguments([`snapshotted_data.${q(columns.dbt_scd_id)}`, now])} as ${q(columns.dbt_scd_id)},`,
        `        'True' as ${q(columns.dbt_is_deleted)}`,
        '    from snapshotted_data',
        `    left join deletes_source_data as source_data on ${joinOn('snapshotted_data', 'source_data')}`,
        `    where ${keyIsNull('source_data')}`,
        `        and ${latestIsDeletion}`,
        ')',
      ].join('\n'),
    );
  }
  const parts = [
    'insertions',
    'updates',
    ...(tracksDeletes ? ['deletes'] : []),
    ...(newRecord ? ['deletion_records'] : []),
  ];
  return `with ${ctes.join(',\n')}\n${parts.map((p) => `select * from ${p}`).join('\nunion all\n')}`;
}

/**
 * dbt-duckdb's `snapshot_merge_sql`: close the versions the staging table replaces, then insert
 * the new ones. The caller runs both in one transaction.
 */
export function snapshotMergeStatements(
  spec: SnapshotSpec,
  target: string,
  staging: string,
  insertColumns: string[],
): { close: string; insert: string } {
  const validTo = q(spec.columns.dbt_valid_to);
  const scdId = q(spec.columns.dbt_scd_id);
  const current = spec.validToCurrent
    ? `(DBT_INTERNAL_TARGET.${validTo} = ${spec.validToCurrent} or DBT_INTERNAL_TARGET.${validTo} is null)`
    : `DBT_INTERNAL_TARGET.${validTo} is null`;
  const list = insertColumns.map(q).join(', ');
  return {
    close: [
      `update ${target} as DBT_INTERNAL_TARGET`,
      `set ${validTo} = DBT_INTERNAL_SOURCE.${validTo}`,
      `from ${staging} as DBT_INTERNAL_SOURCE`,
      `where DBT_INTERNAL_SOURCE.${scdId} = DBT_INTERNAL_TARGET.${scdId}`,
      `  and DBT_INTERNAL_SOURCE.${changeTypeColumn} in ('update', 'delete')`,
      `  and ${current}`,
    ].join('\n'),
    insert: `insert into ${target} (${list})\nselect ${list}\nfrom ${staging}\nwhere ${changeTypeColumn} = 'insert'`,
  };
}
