import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateWarehouse } from '../src/index.js';
import { type Probe, tempDir, withDb } from './support/warehouse-probe.js';

const AS_OF = "date '2026-06-30'";
let path: string;

beforeAll(async () => {
  path = join(tempDir(), 'realism.duckdb');
  await generateWarehouse({ warehousePath: path, scale: 0.1, seed: 3, asOf: '2026-06-30' });
});

const value = (sql: string) => withDb(path, (db: Probe) => db.value(sql));
const rows = (sql: string) => withDb(path, (db: Probe) => db.rows(sql));

describe('realism: each distribution property within its stated bounds', () => {
  it('grows year over year (last 12 months ≥ 10% above the 12 before)', async () => {
    const last = await value(`select count(*) from raw.orders where ordered_at > ${AS_OF} - interval 1 year`);
    const before = await value(
      `select count(*) from raw.orders where ordered_at > ${AS_OF} - interval 2 year and ordered_at <= ${AS_OF} - interval 1 year`,
    );
    expect(last / before).toBeGreaterThan(1.1);
    expect(last / before).toBeLessThan(2);
  });

  it('peaks in November–December (daily orders ≥ 1.3× the rest of the last year)', async () => {
    const ratio = await value(`
      with daily as (
        select ordered_at::date as day, count(*) as n from raw.orders
        where ordered_at > ${AS_OF} - interval 1 year group by 1)
      select avg(n) filter (where month(day) in (11, 12)) / avg(n) filter (where month(day) not in (11, 12)) from daily`);
    expect(ratio).toBeGreaterThan(1.3);
  });

  it('has a weekly cycle (busiest weekday ≥ 1.15× the quietest)', async () => {
    const ratio = await value(
      'select max(n) / min(n) from (select isodow(ordered_at) as d, count(*)::double as n from raw.orders group by 1)',
    );
    expect(ratio).toBeGreaterThan(1.15);
  });

  it('concentrates spend: the top 20% of buyers bring 60–80% of revenue', async () => {
    const share = await value(`
      with revenue as (select customer_id, sum(order_total_cents) as r from raw.orders group by 1),
      ranked as (select r, ntile(5) over (order by r desc) as quintile from revenue)
      select sum(r) filter (where quintile = 1) / sum(r) from ranked`);
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.8);
  });

  it('fills baskets with about three lines', async () => {
    const lines = await value('select count(*) / (select count(*) from raw.orders) from raw.order_items');
    expect(lines).toBeGreaterThan(2.7);
    expect(lines).toBeLessThan(3.4);
  });

  it('cancels ~5% and returns ~8% of orders', async () => {
    const cancelled = await value("select avg((status = 'cancelled')::integer) from raw.orders");
    const returned = await value("select avg((status = 'returned')::integer) from raw.orders");
    expect(cancelled).toBeGreaterThan(0.035);
    expect(cancelled).toBeLessThan(0.065);
    expect(returned).toBeGreaterThan(0.065);
    expect(returned).toBeLessThan(0.095);
  });

  it('ships bulky Home & Garden slower than Books (fulfilment lag by category)', async () => {
    const lag = await rows(`
      with main_product as (
        select order_id, arg_min(product_id, id) as product_id from raw.order_items group by order_id)
      select p.category, avg(epoch(o.shipped_at) - epoch(o.ordered_at)) / 3600 as hours
      from raw.orders as o join main_product as m on m.order_id = o.id join raw.products as p on p.id = m.product_id
      where o.shipped_at is not null group by 1`);
    const hours: Record<string, number> = Object.fromEntries(
      lag.map((r) => [String(r.category), Number(r.hours)]),
    );
    expect(Object.keys(hours)).toHaveLength(5);
    expect(hours['Home & Garden']).toBeGreaterThan(2 * (hours.Books as number));
    expect(Math.max(...Object.values(hours)) / Math.min(...Object.values(hours))).toBeGreaterThan(2);
  });

  it('has new, active, at-risk, dormant and VIP customers', async () => {
    const [segments] = await rows(`
      with stats as (select customer_id, max(ordered_at) as last_at, count(*) as n from raw.orders group by 1)
      select
        count(*) filter (where c.created_at > ${AS_OF} - interval 30 day) as new_customers,
        count(*) filter (where s.last_at > ${AS_OF} - interval 90 day) as active,
        count(*) filter (where s.last_at <= ${AS_OF} - interval 90 day and s.last_at > ${AS_OF} - interval 180 day) as at_risk,
        count(*) filter (where s.last_at <= ${AS_OF} - interval 180 day) as dormant,
        count(*) filter (where s.n >= 10) as vip
      from raw.customers as c left join stats as s on s.customer_id = c.id`);
    for (const [segment, n] of Object.entries(segments ?? {}))
      expect(Number(n), segment).toBeGreaterThanOrEqual(5);
  });

  it('shows repeat-purchase decay: a signup cohort buys less each quarter', async () => {
    const byQuarter = await rows(`
      with cohort as (select id from raw.customers where created_at between ${AS_OF} - interval 3 year and ${AS_OF} - interval 2 year)
      select (date_diff('day', c.created_at, o.ordered_at) // 91) as quarter, count(distinct o.customer_id) as buyers
      from raw.orders as o join raw.customers as c on c.id = o.customer_id
      where c.id in (select id from cohort) group by 1 order by 1`);
    const buyers = byQuarter.map((r) => Number(r.buyers));
    expect(buyers[0]).toBeGreaterThan(buyers[3] as number);
    expect(buyers[3]).toBeGreaterThan(buyers[7] as number);
  });

  it('acquires most customers through campaigns (a touch of the acquisition channel before signup)', async () => {
    const share = await value(`
      select avg((exists (select 1 from raw.marketing_touches as t
        where t.customer_id = c.id and t.channel = c.acquisition_channel and t.touched_at <= c.created_at))::integer)
      from raw.customers as c where c.created_at >= ${AS_OF} - interval 3 year + interval 1 day`);
    expect(share).toBeGreaterThan(0.5);
    expect(share).toBeLessThan(0.8);
  });

  it('makes first-touch and last-touch attribution disagree', async () => {
    const [r] = await rows(`
      with journeys as (
        select o.id, arg_min(t.campaign_id, t.touched_at) as first_touch, arg_max(t.campaign_id, t.touched_at) as last_touch,
               count(distinct t.campaign_id) as campaigns
        from raw.orders as o
        join raw.marketing_touches as t on t.customer_id = o.customer_id
          and t.touched_at <= o.ordered_at and t.touched_at > o.ordered_at - interval 30 day
        group by o.id)
      select count(*) as orders, avg((first_touch <> last_touch)::integer) as differ, avg((campaigns > 1)::integer) as multi
      from journeys`);
    expect(Number(r?.orders)).toBeGreaterThan(1000);
    expect(Number(r?.differ)).toBeGreaterThan(0.2);
    expect(Number(r?.multi)).toBeGreaterThan(0.2);
  });

  it('writes web events dense enough to sessionise at 30 minutes', async () => {
    const [s] = await rows(`
      with marked as (
        select *, coalesce(epoch(occurred_at) - epoch(lag(occurred_at) over w) > 1800, true) as starts
        from raw.web_events window w as (partition by anonymous_id order by occurred_at, id)),
      numbered as (select *, sum(starts::integer) over (partition by anonymous_id order by occurred_at, id) as session from marked),
      sessions as (
        select anonymous_id, session, count(*) as events, epoch(max(occurred_at)) - epoch(min(occurred_at)) as seconds,
               bool_or(event_type = 'purchase') as converted, bool_or(event_type = 'pageview') as viewed
        from numbered group by 1, 2)
      select count(*) as sessions, sum(events) as events, avg((seconds < 3600)::integer) as short,
             avg(viewed::integer) filter (where converted) as viewed_before_buying
      from sessions`);
    const events = Number(s?.events);
    const sessions = Number(s?.sessions);
    // bounces are one event, browsing two or three, a purchase four to seven
    expect(events / sessions).toBeGreaterThan(1.5);
    expect(events / sessions).toBeLessThan(3);
    expect(Number(s?.short)).toBeGreaterThan(0.99);
    expect(Number(s?.viewed_before_buying)).toBe(1);
    // the clickstream covers the browsers that accepted analytics cookies: about 15% of orders
    const purchases = await value("select count(*) from raw.web_events where event_type = 'purchase'");
    const orders = await value('select count(*) from raw.orders');
    expect(purchases / orders).toBeGreaterThan(0.1);
    expect(purchases / orders).toBeLessThan(0.2);
  });
});
