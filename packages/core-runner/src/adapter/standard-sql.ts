import type { Relation } from '../project/project-types.js';
import type { IncrementalWrite } from './sql-dialect.js';

/** SQL that DuckDB and PostgreSQL write alike: double-quoted identifiers, `''` in literals, merge. */

export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** `"schema"."identifier"` (or with the database when given). */
export function renderRelation(relation: Relation): string {
  const parts = relation.database
    ? [relation.database, relation.schema, relation.identifier]
    : [relation.schema, relation.identifier];
  return parts.map(quoteIdentifier).join('.');
}

/**
 * The incremental strategies as dbt-duckdb writes them; Postgres 15 accepts the same text
 * (`merge into`, `delete … as alias`), so both dialects use this.
 *
 * @example
 * incrementalWriteSql({ strategy: 'delete+insert', target: '"main"."f"', staging: '"f__s"', columns: ['id', 'v'], uniqueKey: ['id'], predicates: [] })
 * // → ['delete from "main"."f" as DBT_INTERNAL_DEST where ("id") in (select "id" from "f__s")',
 * //    'insert into "main"."f" ("id", "v") select "id", "v" from "f__s"']
 */
export function incrementalWriteSql(write: IncrementalWrite): string[] {
  const { target, staging, uniqueKey, predicates } = write;
  const q = quoteIdentifier;
  const columnList = write.columns.map(q).join(', ');
  const insert = `insert into ${target} (${columnList}) select ${columnList} from ${staging}`;
  if (write.strategy === 'append') return [insert];
  // microbatch: the batch's event-time window (the predicates) is replaced by the batch's rows.
  if (write.strategy === 'microbatch')
    return [`delete from ${target} where ${predicates.join(' and ')}`, insert];
  if (write.strategy === 'insert_overwrite') {
    // Partitions present in the new rows are replaced; without partition_by the whole table is.
    const partitions = (write.partitionBy ?? []).map(q).join(', ');
    const where = partitions
      ? ` where (${partitions}) in (select distinct ${partitions} from ${staging})`
      : '';
    return [`delete from ${target}${where}`, insert];
  }
  if (write.strategy === 'delete+insert') {
    const keys = uniqueKey.map(q).join(', ');
    const where = [`(${keys}) in (select ${keys} from ${staging})`, ...predicates].join(' and ');
    return [`delete from ${target} as DBT_INTERNAL_DEST where ${where}`, insert];
  }
  const keyMatch = uniqueKey.map((k) => `DBT_INTERNAL_DEST.${q(k)} = DBT_INTERNAL_SOURCE.${q(k)}`);
  const updates = write.columns
    .filter((c) => !uniqueKey.includes(c))
    .map((c) => `${q(c)} = DBT_INTERNAL_SOURCE.${q(c)}`);
  return [
    [
      `merge into ${target} as DBT_INTERNAL_DEST using ${staging} as DBT_INTERNAL_SOURCE`,
      `on (${[...keyMatch, ...predicates].join(' and ')})`,
      updates.length > 0 ? `when matched then update set ${updates.join(', ')}` : '',
      `when not matched then insert (${columnList}) values (${write.columns.map((c) => `DBT_INTERNAL_SOURCE.${q(c)}`).join(', ')})`,
    ]
      .filter(Boolean)
      .join('\n'),
  ];
}
