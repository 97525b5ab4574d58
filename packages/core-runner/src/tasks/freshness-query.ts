import type { SqlDialect } from '../adapter/sql-dialect.js';
import { sqlExpression } from '../materialize/snapshot-config.js';
import type { Relation } from '../project/project-types.js';

/**
 * dbt's `collect_freshness` query, in the adapter's dialect. `loaded_at_field` is a column
 * (quoted) or an SQL expression as dbt allows (e.g. `cast(_loaded_at as timestamp)`); `filter` is
 * SQL, as in dbt.
 *
 * @example
 * freshnessSql(duckdbDialect, { schema: 'raw', identifier: 'orders' }, '_loaded_at', "status != 'test'")
 * // → select max_loaded_at, snapshotted_at, epoch_ms(max_loaded_at) as max_loaded_at_ms, epoch_ms(snapshotted_at) as snapshotted_at_ms
 * //   from (
 * //     select max("_loaded_at") as max_loaded_at, now() as snapshotted_at
 * //     from "raw"."orders"
 * //     where status != 'test'
 * //   ) as freshness
 */
export function freshnessSql(
  dialect: SqlDialect,
  relation: Relation,
  loadedAtField: string,
  filter?: string,
): string {
  return dialect.freshness(relation, sqlExpression(loadedAtField), filter);
}
