import type { SqlContext } from './sql-context.js';

export interface EdgeCaseIds {
  oneOrderCustomerId: number;
  refundCustomerId: number;
  freeGiftOrderId: number;
  recategorisedProductId: number;
}

/** Columns of `_mockgen_edge_cases`: which rows show which edge case, in words. */
export const EDGE_CASES_COLUMNS = 'edge_case varchar, table_name varchar, row_id bigint, detail varchar';

/**
 * Rows of `_mockgen_edge_cases` for a full generation. Customers without orders, full-discount
 * lines and movers are listed all; the others are the one row chosen to show the case.
 */
export function edgeCaseRowsSql(ctx: SqlContext, ids: EdgeCaseIds): string {
  return `
select 'customer_with_one_order' as edge_case, 'customers' as table_name, ${ids.oneOrderCustomerId}::bigint as row_id,
  'has exactly one order' as detail
union all
select 'customer_all_orders_refunded', 'customers', ${ids.refundCustomerId},
  'all ' || count(*) || ' orders were returned and refunded'
from mg_order_plan where customer_id = ${ids.refundCustomerId}
union all
select 'customer_without_orders', 'customers', customer_id, 'signed up, never ordered'
from mg_customer_plan where n_orders = 0
union all
select 'full_discount_line', 'order_items', id, 'discount_pct 100: the line is free'
from ${ctx.schema}.order_items where discount_pct = 100
union all
select 'product_changed_category', 'products', id,
  'moved from ' || orig_category || ' / ' || orig_subcategory || ' to ' || category || ' / ' || subcategory
    || ' on ' || strftime(mg_ts(recategorised_s), '%Y-%m-%d')
from mg_products where recategorised_s is not null
union all
select 'customer_moved', 'customers', cp.customer_id,
  'moved from ' || o.city || ', ' || o.state || ', ' || o.country || ' on ' || strftime(mg_ts(cp.moved_s), '%Y-%m-%d')
from mg_customer_plan as cp
join mg_places as o on o.idx = cp.origin_idx
where cp.is_mover`;
}
