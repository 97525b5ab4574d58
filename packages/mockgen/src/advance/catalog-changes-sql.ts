import type { ReferenceSizes } from '../reference/reference-sql.js';
import { loadedAt, type SqlContext } from '../sql/sql-context.js';

/**
 * The shop's master data drifts between batches. Each change is a hash draw keyed by
 * (batch seed, row id, batch), so a batch is reproducible and batches differ.
 */
export interface ChangeParams {
  batchSeed: number;
  days: number;
  /** Start of the batch window (previous as-of end + 1). */
  fromS: number;
  sizes: ReferenceSizes;
}

/** Uniform time inside the batch window for row `key`. */
function timeInWindow(ctx: SqlContext, p: ChangeParams, key: string, salt: number): string {
  return `(${p.fromS} + floor(mg_u2(${p.batchSeed}, ${key}, ${ctx.batch}, ${salt}) * ${ctx.endS - p.fromS})::bigint)`;
}

/**
 * mg_product_changes: about 5% of active products per 30 days get a new price (−10% to +15%,
 * kept above cost), and exactly one product moves to a subcategory of another category.
 */
export function productChangesSql(ctx: SqlContext, p: ChangeParams): string {
  const t = ctx.schema;
  const b = ctx.batch;
  const priceShare = Math.min(0.5, (0.05 * p.days) / 30);
  return `
create or replace temp table mg_product_changes as
with current as (
  select distinct on (id) * from ${t}.products order by id, updated_at desc
),
recategorised as (
  select id from current
  order by mg_h2(${p.batchSeed}, id, ${b}, 801)
  limit 1
),
drawn as (
  select
    c.*,
    c.id in (select id from recategorised) as is_recategorised,
    c.is_active and c.unit_cost_cents < c.list_price_cents
      and mg_u2(${p.batchSeed}, c.id, ${b}, 802) < ${priceShare} as is_repriced,
    sub.category_id as old_category_id,
    ${timeInWindow(ctx, p, 'c.id', 803)} as changed_s
  from current as c
  left join mg_subcategories as sub on sub.subcategory_name = c.subcategory
),
moved as (
  select
    d.*,
    coalesce(
      (select min(x.sub_idx) from mg_subcategories as x
        where x.category_id <> coalesce(d.old_category_id, -1) and x.sub_idx >= mg_m2(${p.batchSeed}, d.id, ${b}, 804, ${p.sizes.subcategories})),
      (select min(x.sub_idx) from mg_subcategories as x where x.category_id <> coalesce(d.old_category_id, -1))
    ) as new_sub_idx
  from drawn as d
  where d.is_recategorised or d.is_repriced
)
select
  m.id,
  m.category as old_category,
  m.subcategory as old_subcategory,
  case when m.is_recategorised then s.category_name else m.category end as category,
  case when m.is_recategorised then s.subcategory_name else m.subcategory end as subcategory,
  case when m.is_repriced then greatest(m.unit_cost_cents + 100,
    round(m.list_price_cents * (0.90 + 0.25 * mg_u2(${p.batchSeed}, m.id, ${b}, 805)) / 100)::bigint * 100 - 1)
    else m.list_price_cents end as list_price_cents,
  m.is_recategorised,
  m.changed_s
from moved as m
join mg_subcategories as s on s.sub_idx = m.new_sub_idx;

update ${t}.products as p
set
  category = c.category,
  subcategory = c.subcategory,
  list_price_cents = c.list_price_cents,
  updated_at = mg_ts(c.changed_s),
  _loaded_at = ${loadedAt(ctx, 'c.changed_s', 'c.id', 890 + b)}
from mg_product_changes as c
where p.id = c.id;
`;
}

/**
 * mg_customer_changes: about 0.2% of customers a day move (at least one per batch) and 0.3% a
 * day flip their marketing opt-in. Customers with an edge-case role are left alone.
 */
export function customerChangesSql(ctx: SqlContext, p: ChangeParams): string {
  const t = ctx.schema;
  const b = ctx.batch;
  const moveShare = Math.min(0.3, 0.002 * p.days);
  const optShare = Math.min(0.3, 0.003 * p.days);
  return `
create or replace temp table mg_customer_changes as
with current as (
  select distinct on (id) * from ${t}.customers
  where id not in (select row_id from ${t}._mockgen_edge_cases where table_name = 'customers' and edge_case <> 'customer_moved')
  order by id, updated_at desc
),
first_mover as (
  select id from current order by mg_h2(${p.batchSeed}, id, ${b}, 811) limit 1
),
drawn as (
  select
    c.*,
    mg_u2(${p.batchSeed}, c.id, ${b}, 812) < ${moveShare} or c.id in (select id from first_mover) as is_mover,
    mg_u2(${p.batchSeed}, c.id, ${b}, 813) < ${optShare} as flips_opt_in,
    ${timeInWindow(ctx, p, 'c.id', 814)} as changed_s
  from current as c
)
select
  d.id,
  d.is_mover,
  d.city as old_city,
  d.state as old_state,
  d.country as old_country,
  case when d.is_mover then pl.country else d.country end as country,
  case when d.is_mover then pl.state else d.state end as state,
  case when d.is_mover then pl.city else d.city end as city,
  d.marketing_opt_in <> d.flips_opt_in as marketing_opt_in,
  d.changed_s
from drawn as d
join mg_places as pl on pl.idx = mg_m2(${p.batchSeed}, d.id, ${b}, 815, ${p.sizes.places})
where (d.is_mover and pl.city <> d.city) or d.flips_opt_in;

update ${t}.customers as c
set
  country = x.country,
  state = x.state,
  city = x.city,
  marketing_opt_in = x.marketing_opt_in,
  updated_at = mg_ts(x.changed_s),
  _loaded_at = ${loadedAt(ctx, 'x.changed_s', 'x.id', 880 + b)}
from mg_customer_changes as x
where c.id = x.id;
`;
}

/** Edge-case rows for the moves and the recategorisation of this batch. */
export function changeEdgeCasesSql(ctx: SqlContext): string {
  return `
insert into ${ctx.schema}._mockgen_edge_cases
select 'customer_moved', 'customers', id,
  'moved from ' || old_city || ', ' || old_state || ', ' || old_country || ' on ' || strftime(mg_ts(changed_s), '%Y-%m-%d')
from mg_customer_changes where is_mover and old_city <> city
union all
select 'product_changed_category', 'products', id,
  'moved from ' || old_category || ' / ' || old_subcategory || ' to ' || category || ' / ' || subcategory
    || ' on ' || strftime(mg_ts(changed_s), '%Y-%m-%d')
from mg_product_changes where is_recategorised;
`;
}
