/**
 * One row per day of history (and of the days an advance adds), with two weights:
 * - order_weight: season × weekday — when existing customers buy;
 * - signup_weight: growth × season × weekday × campaign boost — when new customers arrive.
 * Weights are integers so their running sums (used to place rows by inverse CDF) are exact.
 * `day_len` is how much of the day has happened by the clock `clockS` (86,400 for every day
 * before it): a day the clock cuts short weighs that much less and times placed in it are
 * squeezed into its past part (see placeInDaySql), so nothing happens after the clock.
 */
export function calendarSql(startDate: string, startS: number, nDays: number, clockS: number): string {
  return `
create or replace temp table mg_calendar as
with days as (
  select range::integer as day_idx, (date '${startDate}' + range::integer) as day
  from range(${nDays})
),
campaign_days as (
  select
    d.day_idx,
    list(c.campaign_id order by c.campaign_id) as active_campaigns,
    count(*) filter (where not c.is_evergreen) as seasonal_active
  from days as d
  join mg_campaigns as c on d.day between c.start_date and c.end_date
  group by d.day_idx
),
weighted as (
  select
    d.day_idx,
    d.day,
    month(d.day) as month,
    ${startS} + d.day_idx::bigint * 86400 as day_s,
    greatest(0, least(86400, ${clockS} + 1 - (${startS} + d.day_idx::bigint * 86400)))::bigint as day_len,
    coalesce(cd.active_campaigns, []::integer[]) as active_campaigns,
    coalesce(len(cd.active_campaigns), 0) as n_active,
    -- November–December peak, Black Friday week on top.
    [0.86, 0.80, 0.90, 0.92, 0.95, 0.93, 0.90, 0.96, 0.94, 1.00, 1.50, 1.80][month(d.day)]
      * case when month(d.day) = 11 and dayofmonth(d.day) >= 24 then 1.35 else 1.0 end as season,
    -- Monday to Sunday: Sunday and Monday evenings are busiest, Friday and Saturday quiet.
    [1.12, 1.06, 1.00, 0.97, 0.86, 0.84, 1.14][isodow(d.day)] as weekday,
    exp(ln(1.3) * d.day_idx / 365.25) as growth,
    coalesce(cd.seasonal_active, 0) as seasonal_active
  from days as d
  left join campaign_days as cd using (day_idx)
),
integer_weights as (
  select
    *,
    round(10000 * season * weekday * day_len / 86400)::bigint as order_weight,
    round(10000 * growth * season * weekday * (1 + 0.35 * seasonal_active) * day_len / 86400)::bigint as signup_weight
  from weighted
)
select
  day_idx,
  day,
  month,
  day_s,
  day_len,
  active_campaigns,
  n_active,
  order_weight,
  coalesce(sum(order_weight) over w_before, 0)::bigint as order_cum_start,
  signup_weight,
  coalesce(sum(signup_weight) over w_before, 0)::bigint as signup_cum_start
from integer_weights
window w_before as (order by day_idx rows between unbounded preceding and 1 preceding)
order by day_idx;
`;
}

/**
 * Seconds since the epoch of a time of day drawn from `u` (see mg_tod) on calendar row `c`,
 * squeezed into the part of the day that has happened (day_len): the same as
 * `c.day_s + mg_tod(u)` on every whole day.
 */
export function placeInDaySql(c: string, u: string): string {
  return `(${c}.day_s + mg_tod(${u}) * ${c}.day_len // 86400)`;
}
