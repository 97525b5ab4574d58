import type { ListLookup } from './list-lookup.js';
import { ID_STRIDE } from './order-plan-sql.js';
import { loadedAt, type SqlContext } from './sql-context.js';

/**
 * raw.order_items rows from mg_order_plan: line 0 is the order's main product, the others are
 * drawn from the same popularity curve. A line is discounted by the order's coupon, by a
 * line promotion (7%), or given away free (100%, ~0.1%, and always on one edge-case line).
 */
/** `products`: mg_products by id (createPlanLookups). */
export function orderItemsSql(ctx: SqlContext, freeGiftOrderId: number, products: ListLookup): string {
  const s = ctx.seed;
  return `
-- unnest and a list of prices, not joins on mg_repeat and mg_products: the pipeline stays one
-- parallel pass down to a batch insert (a join makes DuckDB write the rows on one thread)
with lines as (
  select order_id, ordered_s, coupon_pct, n_lines, avail, main_product_id, unnest(range(n_lines)) as l
  from mg_order_plan
),
picked as (
  select
    *,
    case when l = 0 then main_product_id
      else 1 + floor(avail * pow(mg_u2(${s}, order_id, l, 310), 2.5))::bigint end as product_id,
    mg_u2(${s}, order_id, l, 312) as u_qty,
    mg_u2(${s}, order_id, l, 313) as u_disc
  from lines
),
priced as (
  select
    pk.*,
    ${products.at('list_price_cents', 'pk.product_id')} as unit_price_cents,
    case when pk.u_qty < 0.78 then 1 when pk.u_qty < 0.93 then 2 when pk.u_qty < 0.98 then 3
      else 4 + (floor(pk.u_qty * 100000)::integer % 3) end as quantity,
    case
      when pk.order_id = ${freeGiftOrderId} and pk.l = pk.n_lines - 1 then 100
      when pk.coupon_pct > 0 then pk.coupon_pct
      when pk.u_disc < 0.001 then 100
      when pk.u_disc < 0.07 then [5, 10, 15, 20, 25, 30][1 + (floor(pk.u_disc * 100000)::integer % 6)]
      else 0
    end as pct
  from picked as pk, ${products.relation}
),
discounted as (
  -- round half up of quantity × price × pct / 100, in integers
  select *, (quantity * unit_price_cents * pct + 50) // 100 as discount_cents
  from priced
)
select
  (order_id * ${ID_STRIDE} + l + 1)::bigint as id,
  order_id::bigint as order_id,
  product_id::bigint as product_id,
  quantity::integer as quantity,
  unit_price_cents::bigint as unit_price_cents,
  pct::decimal(5, 2) as discount_pct,
  discount_cents::bigint as discount_cents,
  (quantity * unit_price_cents - discount_cents)::bigint as line_total_cents,
  ${loadedAt(ctx, 'ordered_s', 'order_id', 390)} as _loaded_at
from discounted`;
}
