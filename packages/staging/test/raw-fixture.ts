import { DuckDBInstance } from '@duckdb/node-api';

/**
 * A tiny raw warehouse written by hand (staging cannot use mockgen: mockgen depends on this
 * package for the reference seeds). Every value is chosen so the expected staging output can be
 * stated exactly: cents that round-trip to dollars, a 100% discount, a returned order with a refund.
 */
export const rawFixtureSql = `
create schema raw;
create table raw.customers as select * from (values
  (1, 'Ada', 'Lovelace', 'ada@example.com', '555-0101', timestamp '2025-01-05 10:00:00', 'US', 'CA', 'Los Angeles', 'search', true, timestamp '2025-02-01 00:00:00', now()::timestamp),
  (2, 'Alan', 'Turing', 'alan@example.com', null, timestamp '2025-03-09 18:30:00', 'GB', 'ENG', 'London', 'email', false, timestamp '2025-03-09 18:30:00', now()::timestamp)
) t(id, first_name, last_name, email, phone, created_at, country, state, city, acquisition_channel, marketing_opt_in, updated_at, _loaded_at);
create table raw.products as select * from (values
  (10, 'SKU-10', 'Pocket Phone', 'Acme', 'Electronics', 'Phones & Accessories', 12345::bigint, 19999::bigint, true, timestamp '2024-01-01', timestamp '2024-01-01', now()::timestamp),
  (11, 'SKU-11', 'Garden Hose', 'Hoser', 'Home & Garden', 'Garden & Outdoor', 1001::bigint, 2550::bigint, true, timestamp '2024-02-01', timestamp '2024-02-01', now()::timestamp)
) t(id, sku, name, brand, category, subcategory, unit_cost_cents, list_price_cents, is_active, launched_at, updated_at, _loaded_at);
create table raw.orders as select * from (values
  (100, 1, timestamp '2025-04-01 23:59:59', 'delivered', timestamp '2025-04-02 10:00:00', timestamp '2025-04-05 12:00:00', 1, 'SPRING', 39998::bigint, 599::bigint, 3200::bigint, 43797::bigint, timestamp '2025-04-05', now()::timestamp),
  (101, 2, timestamp '2025-04-03 08:00:00', 'returned', timestamp '2025-04-04 09:00:00', timestamp '2025-04-06 09:00:00', null, null, 0::bigint, 499::bigint, 0::bigint, 499::bigint, timestamp '2025-04-20', now()::timestamp)
) t(id, customer_id, ordered_at, status, shipped_at, delivered_at, campaign_id, coupon_code, subtotal_cents, shipping_cents, tax_cents, order_total_cents, updated_at, _loaded_at);
create table raw.order_items as select * from (values
  (1000, 100, 10, 2, 19999::bigint, 0.00::decimal(5,2), 0::bigint, 39998::bigint, now()::timestamp),
  (1001, 101, 11, 1, 2550::bigint, 100.00::decimal(5,2), 2550::bigint, 0::bigint, now()::timestamp)
) t(id, order_id, product_id, quantity, unit_price_cents, discount_pct, discount_cents, line_total_cents, _loaded_at);
create table raw.order_status_history as select * from (values
  (1, 100, 'pending', timestamp '2025-04-01 23:59:59', now()::timestamp),
  (2, 100, 'delivered', timestamp '2025-04-05 12:00:00', now()::timestamp),
  (3, 101, 'returned', timestamp '2025-04-20 00:00:00', now()::timestamp)
) t(id, order_id, status, changed_at, _loaded_at);
create table raw.payments as select * from (values
  (1, 100, 'credit_card', 43797::bigint, timestamp '2025-04-01 23:59:59', now()::timestamp)
) t(id, order_id, payment_method, amount_cents, paid_at, _loaded_at);
create table raw.refunds as select * from (values
  (1, 101, 499::bigint, timestamp '2025-04-20 00:00:00', 'changed mind', now()::timestamp)
) t(id, order_id, amount_cents, refunded_at, reason, _loaded_at);
create table raw.marketing_touches as select * from (values
  (1, 1, 1, 'search', timestamp '2024-12-30 09:00:00', now()::timestamp),
  (2, 1, 2, 'email', timestamp '2025-01-04 09:00:00', now()::timestamp)
) t(id, customer_id, campaign_id, channel, touched_at, _loaded_at);
create table raw.web_events as select * from (values
  (1, 'anon-1', null, 'pageview', '/home', 'google', 1, timestamp '2025-04-01 23:40:00', now()::timestamp),
  (2, 'anon-1', 1, 'purchase', '/checkout', null, null, timestamp '2025-04-01 23:59:59', now()::timestamp)
) t(id, anonymous_id, customer_id, event_type, page_url, utm_source, utm_campaign_id, occurred_at, _loaded_at);
`;

export async function writeRawFixture(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    await connection.run(rawFixtureSql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
