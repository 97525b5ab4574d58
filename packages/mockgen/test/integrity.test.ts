import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GenerateSummary, generateWarehouse, RAW_TABLES } from '../src/index.js';
import { type Probe, SEEDS_DIR, tempDir, withDb } from './support/warehouse-probe.js';

const AS_OF = '2026-06-30';
const AS_OF_END = `timestamp '${AS_OF} 23:59:59'`;
let path: string;
let summary: GenerateSummary;

beforeAll(async () => {
  path = join(tempDir(), 'clean.duckdb');
  summary = await generateWarehouse({ warehousePath: path, scale: 0.05, seed: 11, asOf: AS_OF });
});

/** Runs `sql` (rows that break a rule) and expects none. */
async function noRows(sql: string): Promise<void> {
  const rows = await withDb(path, (db: Probe) => db.rows(sql));
  expect(rows, sql).toEqual([]);
}

describe('clean warehouse: every integrity rule of RAW_SCHEMA.md holds', () => {
  it('writes every table with the sizes of the scale', () => {
    const rows = Object.fromEntries(summary.tables.map((t) => [t.name, t.rows]));
    expect(rows.customers).toBe(500);
    expect(rows.orders).toBe(2500);
    expect(rows.order_items).toBeGreaterThan(2500 * 2.7);
    expect(rows.order_items).toBeLessThan(2500 * 3.4);
    for (const table of RAW_TABLES) expect(rows[table], table).toBeGreaterThan(0);
    expect(rows._mockgen_defects).toBe(0);
    expect(summary.defects).toEqual([]);
    expect(summary.asOf).toBe(AS_OF);
  });

  it('has unique ids in every table', async () => {
    for (const table of RAW_TABLES) {
      await noRows(`select id from raw.${table} group by id having count(*) > 1`);
      await noRows(`select * from raw.${table} where id is null`);
    }
  });

  it('resolves every foreign key', async () => {
    await noRows('select id from raw.orders where customer_id not in (select id from raw.customers)');
    await noRows('select id from raw.order_items where order_id not in (select id from raw.orders)');
    await noRows(
      'select id from raw.order_items where product_id is null or product_id not in (select id from raw.products)',
    );
    for (const table of ['order_status_history', 'payments', 'refunds']) {
      await noRows(`select id from raw.${table} where order_id not in (select id from raw.orders)`);
    }
    await noRows(
      'select id from raw.marketing_touches where customer_id not in (select id from raw.customers)',
    );
    await noRows('select id from raw.web_events where customer_id not in (select id from raw.customers)');
    const campaigns = `(select campaign_id from read_csv('${SEEDS_DIR}/campaign_metadata.csv'))`;
    await noRows(`select id from raw.orders where campaign_id not in ${campaigns}`);
    await noRows(
      `select id from raw.marketing_touches where campaign_id is null or campaign_id not in ${campaigns}`,
    );
    await noRows(`select id from raw.web_events where utm_campaign_id not in ${campaigns}`);
  });

  it('keeps line totals, discounts and order totals consistent', async () => {
    await noRows('select id from raw.order_items where quantity <= 0 or unit_price_cents <= 0');
    await noRows('select id from raw.order_items where discount_pct < 0 or discount_pct > 100');
    await noRows(`select id from raw.order_items
      where discount_cents <> round(quantity * unit_price_cents * discount_pct / 100)
         or line_total_cents <> quantity * unit_price_cents - discount_cents`);
    await noRows(`select o.id from raw.orders as o
      left join (select order_id, sum(line_total_cents) as s from raw.order_items group by order_id) as l on l.order_id = o.id
      where o.subtotal_cents is distinct from l.s
         or o.order_total_cents <> o.subtotal_cents + o.shipping_cents + o.tax_cents
         or o.shipping_cents < 0 or o.tax_cents < 0`);
  });

  it('prices every product above its cost, in a category of the seed', async () => {
    await noRows(
      'select id from raw.products where unit_cost_cents <= 0 or unit_cost_cents >= list_price_cents',
    );
    await noRows(`select p.id from raw.products as p
      anti join read_csv('${SEEDS_DIR}/product_categories.csv') as s
        on s.category_name = p.category and s.subcategory_name = p.subcategory`);
    await noRows('select sku from raw.products group by sku having count(*) > 1');
    await noRows('select email from raw.customers group by email having count(*) > 1');
  });

  it('uses only valid statuses and channels', async () => {
    const statuses = "('pending', 'processing', 'shipped', 'delivered', 'cancelled', 'returned')";
    await noRows(`select id from raw.orders where status not in ${statuses} or status is null`);
    await noRows(`select id from raw.order_status_history where status not in ${statuses} or status is null`);
    const channels = "('email', 'social', 'search', 'display', 'affiliate', 'direct')";
    await noRows(`select id from raw.customers where acquisition_channel not in ${channels}`);
    await noRows(`select id from raw.marketing_touches where channel not in ${channels}`);
    await noRows(
      "select id from raw.payments where payment_method not in ('credit_card', 'paypal', 'gift_card', 'bank_transfer')",
    );
    await noRows(
      "select id from raw.web_events where event_type not in ('pageview', 'add_to_cart', 'purchase', 'login', 'signup') or anonymous_id is null",
    );
  });

  it('places nothing after the as-of', async () => {
    await noRows(`select id from raw.orders where ordered_at > ${AS_OF_END} or updated_at > ${AS_OF_END}
      or shipped_at > ${AS_OF_END} or delivered_at > ${AS_OF_END}`);
    const columns: Record<string, string[]> = {
      customers: ['created_at', 'updated_at'],
      products: ['launched_at', 'updated_at'],
      order_status_history: ['changed_at'],
      payments: ['paid_at'],
      refunds: ['refunded_at'],
      marketing_touches: ['touched_at'],
      web_events: ['occurred_at'],
    };
    for (const table of RAW_TABLES) {
      for (const column of [...(columns[table] ?? []), '_loaded_at']) {
        await noRows(`select id from raw.${table} where ${column} > ${AS_OF_END} or ${column} is null`);
      }
    }
    // three years of history
    await noRows(`select id from raw.orders where ordered_at < date '2023-07-01'`);
  });

  it('keeps an order header in step with its status history', async () => {
    await noRows(`select o.id from raw.orders as o
      join (select order_id, arg_max(status, (changed_at, id)) as last_status, max(changed_at) as last_at,
                   min(changed_at) as first_at, arg_min(status, (changed_at, id)) as first_status
            from raw.order_status_history group by order_id) as h on h.order_id = o.id
      where h.last_status <> o.status or h.last_at <> o.updated_at
         or h.first_status <> 'pending' or h.first_at <> o.ordered_at`);
    await noRows('select id from raw.orders where id not in (select order_id from raw.order_status_history)');
    await noRows(`select id from raw.orders where
      (shipped_at is not null) <> (status in ('shipped', 'delivered', 'returned'))
      or (delivered_at is not null) <> (status in ('delivered', 'returned'))
      or shipped_at <= ordered_at or delivered_at <= shipped_at`);
    await noRows(
      `select order_id from raw.order_status_history group by order_id, status having count(*) > 1`,
    );
    await noRows(`select h.order_id from raw.order_status_history as h
      where h.status = 'shipped' and h.order_id in (select order_id from raw.order_status_history where status = 'cancelled')`);
  });

  it('pays shipped orders in full and refunds exactly the returned ones', async () => {
    await noRows(`select o.id from raw.orders as o
      left join (select order_id, sum(amount_cents) as paid, min(paid_at) as paid_at from raw.payments group by order_id) as p
        on p.order_id = o.id
      where (o.shipped_at is not null) <> (p.order_id is not null)
         or p.paid <> o.order_total_cents or p.paid_at < o.shipped_at`);
    await noRows(`select o.id from raw.orders as o
      left join (select order_id, count(*) as n, max(amount_cents) as amount, min(refunded_at) as at from raw.refunds group by order_id) as r
        on r.order_id = o.id
      where (o.status = 'returned') <> (r.order_id is not null) or r.n > 1
         or r.amount <= 0 or r.amount > o.order_total_cents or r.at < o.updated_at`);
  });

  it('keeps journeys and sessions in order', async () => {
    await noRows(`select t.id from raw.marketing_touches as t
      join read_csv('${SEEDS_DIR}/campaign_metadata.csv') as c on c.campaign_id = t.campaign_id
      where t.channel <> c.channel or t.touched_at::date < c.start_date or t.touched_at::date > c.end_date`);
    await noRows(`select o.id from raw.orders as o join raw.customers as c on c.id = o.customer_id
      where o.ordered_at < c.created_at`);
    // every purchase event is an order's, at the moment it was placed, by its customer (the
    // clickstream holds the tracked browsers only: not every order has one)
    await noRows(`select e.id from raw.web_events as e
      anti join raw.orders as o on e.customer_id = o.customer_id and e.occurred_at = o.ordered_at and e.id // 100 = o.id
      where e.event_type = 'purchase'`);
    await noRows(
      `select id // 100 from raw.web_events where event_type = 'purchase' group by id // 100 having count(*) > 1`,
    );
    // a customer's events never come before their signup
    await noRows(`select e.id from raw.web_events as e join raw.customers as c on c.id = e.customer_id
      where e.occurred_at < c.created_at`);
  });
});
