import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateWarehouse } from '../src/index.js';
import { type Probe, type Row, tempDir, withDb } from './support/warehouse-probe.js';

// The scale and seed of the quick manual check (`pnpm cli generate --scale 0.2`).
let path: string;

beforeAll(async () => {
  path = join(tempDir(), 'funnel.duckdb');
  await generateWarehouse({ warehousePath: path, scale: 0.2, seed: 42, asOf: '2026-06-30' });
});

const value = (sql: string) => withDb(path, (db: Probe) => db.value(sql));
const rows = (sql: string) => withDb(path, (db: Probe) => db.rows(sql));

/**
 * Sessions as the intermediate layer's int_web_sessions cuts them: per device, a new session on
 * the first event and after every gap of more than 30 minutes. A bounce is a one-event session,
 * a converted session has a purchase, an abandoned cart is a session with an add_to_cart and no
 * purchase (cart abandonment = abandoned carts / sessions with a cart).
 */
const SESSIONS = `
  with gaps as (
    select *, lag(occurred_at) over (partition by anonymous_id order by occurred_at, id) as previous_at
    from raw.web_events),
  numbered as (
    select *, sum(case when previous_at is null or occurred_at > previous_at + interval 30 minute then 1 else 0 end)
      over (partition by anonymous_id order by occurred_at, id rows between unbounded preceding and current row) as session_number
    from gaps)
  select anonymous_id, session_number, count(*) as events,
    count(*) filter (where event_type = 'add_to_cart') as carts,
    count(*) filter (where event_type = 'purchase') as purchases
  from numbered group by 1, 2`;

describe('realism: a funnel like a shop’s (bounds from published e-commerce benchmarks)', () => {
  let funnel: Row;
  beforeAll(async () => {
    [funnel = {}] = await rows(`
      with sessions as (${SESSIONS})
      select count(*) as sessions,
        avg((purchases > 0)::integer) as conversion_rate,
        avg((events = 1)::integer) as bounce_rate,
        count(*) filter (where carts > 0 and purchases = 0) / count(*) filter (where carts > 0) as cart_abandonment_rate,
        avg(carts) filter (where purchases > 0) as carts_per_purchase_session
      from sessions`);
  });

  it('converts a low single-digit percent of sessions (2–5%)', () => {
    expect(Number(funnel.sessions)).toBeGreaterThan(10_000);
    expect(Number(funnel.conversion_rate)).toBeGreaterThan(0.02);
    expect(Number(funnel.conversion_rate)).toBeLessThan(0.05);
  });

  it('bounces a third to a half of sessions', () => {
    expect(Number(funnel.bounce_rate)).toBeGreaterThan(1 / 3);
    expect(Number(funnel.bounce_rate)).toBeLessThan(0.5);
  });

  it('abandons about two thirds of carts (60–75%)', () => {
    expect(Number(funnel.cart_abandonment_rate)).toBeGreaterThan(0.6);
    expect(Number(funnel.cart_abandonment_rate)).toBeLessThan(0.75);
  });

  it('puts more than one product in the cart on the way to many orders', async () => {
    expect(Number(funnel.carts_per_purchase_session)).toBeGreaterThan(1.2);
    const multi = await value(
      "select count(*) from (select id // 100 from raw.web_events where event_type = 'add_to_cart' and id % 100 < 10 group by 1 having count(*) > 1)",
    );
    expect(multi).toBeGreaterThan(100);
  });

  it('leaves carts behind both as known customers and as anonymous visitors', async () => {
    const [r] = await rows(`
      with sessions as (${SESSIONS}),
      devices as (select distinct anonymous_id from raw.web_events where customer_id is not null)
      select
        count(*) filter (where d.anonymous_id is not null and carts > 0 and purchases = 0) as known,
        count(*) filter (where d.anonymous_id is null and carts > 0 and purchases = 0) as anonymous,
        count(*) filter (where d.anonymous_id is not null and events = 1) as known_bounces
      from sessions as s left join devices as d using (anonymous_id)`);
    expect(Number(r?.known)).toBeGreaterThan(100);
    expect(Number(r?.anonymous)).toBeGreaterThan(100);
    expect(Number(r?.known_bounces)).toBeGreaterThan(50);
  });
});

describe('realism: one story of acquisition', () => {
  // The journey attribution reads: a customer's touches up to their first order (all of them
  // for a customer who never ordered), first by time then id.
  const JOURNEYS = `
    with firsts as (select customer_id, min(ordered_at) as first_ordered_at from raw.orders group by 1)
    select t.customer_id, arg_min(t.channel, (t.touched_at, t.id)) as first_channel
    from raw.marketing_touches as t left join firsts as f using (customer_id)
    where f.first_ordered_at is null or t.touched_at <= f.first_ordered_at
    group by 1`;

  it('records as acquisition channel the channel of the first touch of the journey', async () => {
    const [r] = await rows(`
      with journeys as (${JOURNEYS})
      select count(*) as customers, count(*) filter (where j.first_channel <> c.acquisition_channel) as disagree
      from raw.customers as c join journeys as j on j.customer_id = c.id`);
    expect(Number(r?.customers)).toBeGreaterThan(1000);
    expect(Number(r?.disagree)).toBe(0);
  });

  it('records `direct` for every customer whose first order no touch precedes', async () => {
    const [r] = await rows(`
      with journeys as (${JOURNEYS})
      select count(*) as customers, count(*) filter (where c.acquisition_channel <> 'direct') as not_direct
      from raw.customers as c anti join journeys as j on j.customer_id = c.id`);
    expect(Number(r?.customers)).toBeGreaterThan(100);
    expect(Number(r?.not_direct)).toBe(0);
  });
});

describe('realism: no absurd outliers', () => {
  it('has no product earning several times the next one', async () => {
    const top = await rows(`
      select product_id, sum(line_total_cents) / (select sum(line_total_cents) from raw.order_items) as share
      from raw.order_items group by 1 order by 2 desc limit 2`);
    const [first, second] = top.map((r) => Number(r.share));
    // 45 products at this scale: the best seller may take a tenth of revenue, not a third
    expect(first).toBeLessThan(0.15);
    expect(first).toBeLessThan(1.5 * (second as number));
  });

  it('has no customer with several times the orders of the 99th percentile', async () => {
    const [r] = await rows(`
      with n as (select customer_id, count(*) as orders from raw.orders group by 1)
      select max(orders) as most, quantile_cont(orders, 0.99) as p99 from n`);
    expect(Number(r?.p99)).toBeGreaterThan(10);
    expect(Number(r?.most)).toBeLessThanOrEqual(3 * Number(r?.p99));
  });
});
