import type { DefectKind } from '../types.js';
import type { SqlContext } from './sql-context.js';

/** Columns of `_mockgen_defects`, as in RAW_SCHEMA.md. */
export const DEFECTS_COLUMNS = 'defect varchar, table_name varchar, row_id bigint, column_name varchar';

export interface DefectTarget {
  defect: DefectKind;
  table: string;
  column: string;
}

/** What `dirty` injects, per table; rows of one table are split between its defects. */
export const DEFECT_TARGETS: readonly DefectTarget[] = [
  { defect: 'null_product_id', table: 'order_items', column: 'product_id' },
  { defect: 'negative_quantity', table: 'order_items', column: 'quantity' },
  { defect: 'future_order_date', table: 'orders', column: 'ordered_at' },
  { defect: 'orphan_foreign_key', table: 'orders', column: 'customer_id' },
  { defect: 'duplicate_id', table: 'orders', column: 'id' },
  { defect: 'duplicate_id', table: 'customers', column: 'id' },
  { defect: 'orphan_foreign_key', table: 'payments', column: 'order_id' },
  { defect: 'cost_above_price', table: 'products', column: 'unit_cost_cents' },
];

/** A few rows per thousand, at least 3 and at most 50 per defect. */
export function defectCount(rows: number): number {
  return Math.max(3, Math.min(50, Math.round(rows * 0.0005)));
}

/**
 * Picks `count × kinds` distinct rows of a table by hash rank, away from `exclude` (edge-case
 * rows stay clean); pick i goes to defect i % kinds. A hash prefilter keeps the sort to about
 * twenty candidates per pick on big tables.
 */
export function pickSql(
  ctx: SqlContext,
  table: string,
  rows: number,
  count: number,
  targets: readonly DefectTarget[],
  salt: number,
  exclude: string,
): string {
  const needed = count * targets.length;
  const modulus = Math.max(1, Math.floor(rows / (needed * 20)));
  const cases = targets
    .map((t, i) => `when ${i} then {'defect': '${t.defect}', 'column_name': '${t.column}'}`)
    .join(' ');
  return `
select
  picked.target.defect as defect,
  '${table}' as table_name,
  picked.row_id,
  picked.target.column_name as column_name
from (
  select
    row_id,
    case (row_number() over (order by rank_key, row_id) - 1) % ${targets.length} ${cases} end as target
  from (
    select id as row_id, mg_h(${ctx.seed}, id, ${salt}) as rank_key
    from ${ctx.schema}.${table}
    where mg_m(${ctx.seed}, id, ${salt + 100}, ${modulus}) = 0 and id not in (${exclude})
    order by rank_key, id
    limit ${needed}
  )
) as picked`;
}

/** Statements that apply the recorded defects in mg_defects to the tables of `schema`. */
export function applyDefectsSql(ctx: SqlContext, maxCustomerId: number, maxOrderId: number): string {
  const t = ctx.schema;
  const ids = (defect: string, table: string) =>
    `(select row_id from mg_defects where defect = '${defect}' and table_name = '${table}')`;
  return `
update ${t}.order_items set product_id = null where id in ${ids('null_product_id', 'order_items')};
update ${t}.order_items set quantity = -quantity where id in ${ids('negative_quantity', 'order_items')};
update ${t}.orders
  set ordered_at = mg_ts(${ctx.endS} + 86400 * (1 + mg_m(${ctx.seed}, id, 610, 30)) + mg_m(${ctx.seed}, id, 611, 86400))
  where id in ${ids('future_order_date', 'orders')};
update ${t}.orders set customer_id = ${maxCustomerId} + 1000000 + id where id in ${ids('orphan_foreign_key', 'orders')};
update ${t}.payments set order_id = ${maxOrderId} + 1000000 + id where id in ${ids('orphan_foreign_key', 'payments')};
update ${t}.products
  set unit_cost_cents = list_price_cents + list_price_cents * (10 + mg_m(${ctx.seed}, id, 612, 40)) // 100
  where id in ${ids('cost_above_price', 'products')};
insert into ${t}.orders select * from ${t}.orders where id in ${ids('duplicate_id', 'orders')};
insert into ${t}.customers select * from ${t}.customers where id in ${ids('duplicate_id', 'customers')};
`;
}
