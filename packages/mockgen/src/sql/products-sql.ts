import type { ReferenceSizes } from '../reference/reference-sql.js';
import { loadedAt, type SqlContext } from './sql-context.js';

/** List price cap of the best seller (id 1), in dollars; see the priced CTE. */
const PRICE_CAP_DOLLARS = 20;

export interface ProductParams {
  products: number;
  baseProducts: number;
  /** Seconds between launches of the products that launch during the history. */
  launchSlotS: number;
  /** The product that was moved to another category (an edge case). */
  recategorisedId: number;
  sizes: ReferenceSizes;
}

/**
 * mg_products: the catalogue with what order generation needs (price, fulfilment lag). Ids up to
 * `baseProducts` launched before the history; later ids launch one per slot, so "how many
 * products exist at time t" is arithmetic, not a lookup. Low ids sell most (a power law).
 */
export function productPlanSql(ctx: SqlContext, p: ProductParams): string {
  const s = ctx.seed;
  return `
create or replace temp table mg_products as
with ids as (
  select range + 1 as id from range(${p.products})
),
drawn as (
  select
    id,
    mg_m(${s}, id, 501, ${p.sizes.subcategories}) as orig_sub_idx,
    case
      when id <= ${p.baseProducts}
        then ${ctx.startS} - (1 + mg_m(${s}, id, 502, 700)) * 86400 + mg_tod(mg_u(${s}, id, 503))
      else ${ctx.startS} + floor((id - ${p.baseProducts} - 1 + mg_u(${s}, id, 504)) * ${p.launchSlotS})::bigint
    end as launched_s,
    mg_u(${s}, id, 505) as u_price,
    0.35 + 0.35 * mg_u(${s}, id, 506) as cost_ratio,
    -- the ten best sellers are never discontinued
    id <= 10 or mg_u(${s}, id, 507) >= 0.08 as is_active,
    mg_u(${s}, id, 508) < 0.3 as had_price_change,
    mg_h(${s}, id, 509) as h_name
  from ids
),
subcategorised as (
  select
    d.*,
    o.subcategory_id as orig_subcategory_id,
    o.category_id as orig_category_id,
    case
      when d.id = ${p.recategorisedId} then coalesce(
        (select min(x.sub_idx) from mg_subcategories as x where x.category_id <> o.category_id and x.sub_idx > d.orig_sub_idx),
        (select min(x.sub_idx) from mg_subcategories as x where x.category_id <> o.category_id))
      else d.orig_sub_idx
    end as sub_idx
  from drawn as d
  join mg_subcategories as o on o.sub_idx = d.orig_sub_idx
),
priced as (
  select
    c.*,
    sub.subcategory_name as subcategory,
    sub.category_name as category,
    sub.category_id,
    sub.lag_hours,
    sub.is_apparel,
    o.category_name as orig_category,
    o.subcategory_name as orig_subcategory,
    -- log-uniform inside the band, leaning to the cheaper end, ending in .99; demand falls with
    -- price, so a best seller's band is capped by its popularity rank (id): line shares fall
    -- about as id^-0.6, the cap rises as id^0.6, and no product out-earns the rest on one price
    greatest(199, round(o.price_lo * pow(
      greatest(1.3, least(o.price_hi, ${PRICE_CAP_DOLLARS} * (2.5 * pow(c.id, 0.6) - 1.5)) / o.price_lo),
      pow(c.u_price, 1.6)))::bigint * 100 - 1) as list_price_cents,
    o.sku_prefix,
    o.n_nouns
  from subcategorised as c
  join mg_subcategories as sub on sub.sub_idx = c.sub_idx
  join mg_subcategories as o on o.sub_idx = c.orig_sub_idx
),
named as (
  select
    p.*,
    b.name as brand,
    b.name || ' ' || a.word || ' ' || n.noun as name,
    p.sku_prefix || '-' || p.orig_subcategory_id || '-' || lpad(p.id::varchar, 5, '0') as sku,
    case when not p.is_active
      then p.launched_s + floor(mg_u(${s}, p.id, 510) * (${ctx.endS} - p.launched_s))::bigint end as discontinued_s,
    case when p.had_price_change
      then p.launched_s + floor(mg_u(${s}, p.id, 511) * (${ctx.endS} - p.launched_s))::bigint end as price_changed_s,
    case when p.id = ${p.recategorisedId}
      then greatest(p.launched_s, ${ctx.startS}) + floor(0.6 * (${ctx.endS} - greatest(p.launched_s, ${ctx.startS})))::bigint end as recategorised_s
  from priced as p
  join mg_brands as b on b.idx = (p.h_name % ${p.sizes.brands})::integer
  join mg_adjectives as a on a.idx = ((p.h_name >> 16) % ${p.sizes.adjectives})::integer
  join mg_nouns as n on n.subcategory_id = p.orig_subcategory_id and n.idx = ((p.h_name >> 32) % p.n_nouns)::integer
)
select
  id,
  sku,
  name,
  brand,
  category_id,
  category,
  subcategory,
  orig_category,
  orig_subcategory,
  floor(list_price_cents * cost_ratio)::bigint as unit_cost_cents,
  list_price_cents,
  is_active,
  launched_s,
  greatest(launched_s, coalesce(discontinued_s, 0), coalesce(price_changed_s, 0), coalesce(recategorised_s, 0)) as updated_s,
  recategorised_s,
  lag_hours,
  is_apparel
from named
order by id;
`;
}

/** raw.products from the plan. */
export function productsTableSql(ctx: SqlContext): string {
  return `
select
  id::bigint as id,
  sku,
  name,
  brand,
  category,
  subcategory,
  unit_cost_cents,
  list_price_cents,
  is_active,
  mg_ts(launched_s) as launched_at,
  mg_ts(updated_s) as updated_at,
  ${loadedAt(ctx, 'updated_s', 'id', 590)} as _loaded_at
from mg_products
order by id`;
}
