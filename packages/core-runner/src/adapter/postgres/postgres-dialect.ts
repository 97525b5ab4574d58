import type { Relation } from '../../project/project-types.js';
import type { SqlDialect } from '../sql-dialect.js';
import { incrementalWriteSql, literal, quoteIdentifier, renderRelation } from '../standard-sql.js';
import type { ColumnDescription, RelationKind } from '../warehouse-adapter.js';

/** Postgres truncates identifiers at 63 bytes; the swap names keep room for their suffix. */
const swapName = (identifier: string, suffix: string) =>
  `${identifier.slice(0, 63 - suffix.length)}${suffix}`;

/**
 * The statements that swap a new version of `relation` in, inside one transaction (Postgres DDL
 * is transactional): build under a temporary name, rename the old one aside, rename the new one
 * into place, drop the old one. Readers see the old relation until commit; a failure rolls all
 * of it back. Like dbt-postgres, the old relation is dropped with `cascade`: views built on it
 * are rebuilt by the same run when selected. Because such a cascade (from a seed or a table
 * replaced earlier in the run) may already have dropped `relation`, the rename and the drop of the
 * old version say `if exists`.
 *
 * @example
 * postgresReplaceSql({ schema: 'analytics', identifier: 'orders' }, 'table', 'table', 'select 1 as x');
 * // → ['create table "analytics"."orders__ssa_new" as (\nselect 1 as x\n)',
 * //    'alter table if exists "analytics"."orders" rename to "orders__ssa_old"',
 * //    'alter table "analytics"."orders__ssa_new" rename to "orders"',
 * //    'drop table if exists "analytics"."orders__ssa_old" cascade']
 */
export function postgresReplaceSql(
  relation: Relation,
  existing: RelationKind | undefined,
  kind: RelationKind,
  selectSql: string,
): string[] {
  const fresh = { ...relation, identifier: swapName(relation.identifier, '__ssa_new') };
  const old = { ...relation, identifier: swapName(relation.identifier, '__ssa_old') };
  return [
    `create ${kind} ${renderRelation(fresh)} as (\n${selectSql}\n)`,
    ...(existing
      ? [
          `alter ${existing} if exists ${renderRelation(relation)} rename to ${quoteIdentifier(old.identifier)}`,
        ]
      : []),
    `alter ${kind} ${renderRelation(fresh)} rename to ${quoteIdentifier(relation.identifier)}`,
    ...(existing ? [`drop ${existing} if exists ${renderRelation(old)} cascade`] : []),
  ];
}

/**
 * PostgreSQL's SQL for the engine. Quoting, literals, merge and delete+insert are written as
 * DuckDB writes them (Postgres 15 has `merge into`); replacement, temp tables, type changes and
 * freshness differ.
 */
export const postgresDialect: SqlDialect = {
  quote: quoteIdentifier,
  literal,
  render: renderRelation,
  replaceRelation: postgresReplaceSql,
  createTempTable: (name, selectSql) => [
    `drop table if exists ${name}`,
    `create temp table ${name} as (\n${selectSql}\n)`,
  ],
  dropTable: (name) => `drop table if exists ${name}`,
  incrementalWrite: incrementalWriteSql,
  addColumn: (target, column: ColumnDescription) =>
    `alter table ${target} add column ${quoteIdentifier(column.name)} ${column.dataType}`,
  dropColumn: (target, column) => `alter table ${target} drop column ${quoteIdentifier(column)}`,
  alterColumnType: (target, column) =>
    `alter table ${target} alter column ${quoteIdentifier(column.name)} type ${column.dataType} using ${quoteIdentifier(column.name)}::${column.dataType}`,
  freshness(relation, loadedAt, filter) {
    // A timestamp without time zone is read as UTC (the session runs in UTC), as DuckDB does.
    return [
      'select max_loaded_at, snapshotted_at,',
      '  (extract(epoch from max_loaded_at) * 1000)::float8 as max_loaded_at_ms,',
      '  (extract(epoch from snapshotted_at) * 1000)::float8 as snapshotted_at_ms',
      'from (',
      `  select max(${loadedAt}) as max_loaded_at, now() as snapshotted_at`,
      `  from ${renderRelation(relation)}`,
      ...(filter ? [`  where ${filter}`] : []),
      ') as freshness',
    ].join('\n');
  },
};

/**
 * The catalog query of `docs generate`: every relation of `schemas` with its columns in order;
 * tables carry Postgres's row estimate (`reltuples`, exact after the analyze a seed load runs).
 */
export function postgresCatalogSql(schemas: readonly string[]): string {
  const wanted = schemas.map((s) => literal(s.toLowerCase())).join(', ');
  return `select
  current_database() as database_name,
  n.nspname as schema_name,
  c.relname as table_name,
  case when c.relkind in ('v', 'm') then 'view' else 'table' end as kind,
  obj_description(c.oid, 'pg_class') as table_comment,
  case when c.relkind in ('r', 'p') and c.reltuples >= 0 then c.reltuples::bigint end as row_count,
  a.attname as column_name,
  format_type(a.atttypid, a.atttypmod) as data_type,
  a.attnum as column_index,
  col_description(c.oid, a.attnum) as column_comment
from pg_class as c
join pg_namespace as n on n.oid = c.relnamespace
join pg_attribute as a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
where c.relkind in ('r', 'v', 'm', 'p')
  and lower(n.nspname) in (${wanted || "''"})
order by 2, 3, a.attnum`;
}
