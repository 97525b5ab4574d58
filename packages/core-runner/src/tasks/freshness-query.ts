import { sqlExpression } from '../materialize/snapshot-config.js';
import type { Relation } from '../project/project-types.js';
import { renderRelation } from '../template/relation-value.js';

/**
 * dbt's `collect_freshness` query for DuckDB. `loaded_at_field` is a column (quoted) or an SQL
 * expression as dbt allows (e.g. `cast(_loaded_at as timestamp)`); `filter` is SQL, as in dbt.
 * The epoch columns make the age independent of the session time zone (a naive timestamp is UTC).
 *
 * @example
 * freshnessSql({ schema: 'raw', identifier: 'orders' }, '_loaded_at', "status != 'test'")
 * // → select max_loaded_at, snapshotted_at, epoch_ms(max_loaded_at) as max_loaded_at_ms, epoch_ms(snapshotted_at) as snapshotted_at_ms
 * //   from (
 * //     select max("_loaded_at") as max_loaded_at, now() as snapshotted_at
 * //     from "raw"."orders"
 * //     where status != 'test'
 * //   ) as freshness
 */
export function freshnessSql(relation: Relation, loadedAtField: string, filter?: string): string {
  return [
    'select max_loaded_at, snapshotted_at, epoch_ms(max_loaded_at) as max_loaded_at_ms, epoch_ms(snapshotted_at) as snapshotted_at_ms',
    'from (',
    `  select max(${sqlExpression(loadedAtField)}) as max_loaded_at, now() as snapshotted_at`,
    `  from ${renderRelation(relation)}`,
    ...(filter ? [`  where ${filter}`] : []),
    ') as freshness',
  ].join('\n');
}
