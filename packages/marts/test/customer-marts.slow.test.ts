import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltLayer,
  buildLayer,
  failedNodes,
  generated,
} from '../../intermediate/test/support/layer-build.js';
import { formatCents } from '../../intermediate/test/support/money.js';
import { type RawWarehouse, readRawWarehouse } from '../../intermediate/test/support/raw-tables-reader.js';
import {
  type ColumnKind,
  compareRows,
  type Expected,
  summarize,
} from '../../intermediate/test/support/row-comparison.js';
import { layer } from '../src/index.js';
import { type CustomerAnswer, customerAnswers } from './reference/customer-analytics-reference.js';

// The customer dimension and the order facts, as a reader of the design documents queries them:
// 002's sample queries run verbatim, and every figure they return is recomputed here from the raw
// tables (money in integer cents), independently of the models.

/** 002 §15, "Top customers by lifetime value" — verbatim. */
export const topCustomersQuery = `SELECT full_name, lifetime_value, total_orders, customer_segment
  FROM dim_customers
  ORDER BY lifetime_value DESC
  LIMIT 10;`;

const asOf = generated.asOf;
let built: BuiltLayer;
let raw: RawWarehouse;
let customers: Map<number, CustomerAnswer>;
const fullNames = new Map<number, string>();

beforeAll(async () => {
  built = await buildLayer(layer);
  raw = await readRawWarehouse(built.warehouse);
  customers = customerAnswers(raw, asOf);
  for (const row of await built.warehouse.rows('select id, first_name, last_name from raw.customers'))
    fullNames.set(Number(row.id), `${String(row.first_name).trim()} ${String(row.last_name).trim()}`);
}, 240_000);

afterAll(() => built?.dispose());

describe('customer marts build', () => {
  it('builds every model and passes every data test', () => {
    expect(failedNodes(built.results), 'nodes that errored or failed').toEqual([]);
  });
});

describe('dim_customers: one row per customer with lifetime figures', () => {
  it('has exactly one row per source customer', async () => {
    const [counts] = await built.warehouse.rows(
      'select count(*) as row_count, count(distinct customer_id) as customer_count from dim_customers',
    );
    expect({ rows: Number(counts?.row_count), customers: Number(counts?.customer_count) }).toEqual({
      rows: raw.customers.length,
      customers: raw.customers.length,
    });
  });

  it('carries first/last order, completed orders, lifetime value, AOV, segment and is_active of every customer', async () => {
    const expected = new Map<string, Expected>();
    for (const c of customers.values()) {
      expected.set(String(c.customerId), {
        full_name: fullNames.get(c.customerId) ?? null,
        customer_segment: c.segment,
        total_orders: c.completedOrderCount,
        lifetime_value: c.lifetimeValueCents,
        average_order_value: c.averageOrderValueCents,
        days_since_last_order: c.daysSinceLastOrder,
        is_active: c.daysSinceLastOrder !== null && c.daysSinceLastOrder <= 90,
        signup_date: c.signupDate,
        first_order_date: c.firstOrderDate,
        last_order_date: c.lastOrderDate,
      });
    }
    const kinds: Record<string, ColumnKind> = {
      full_name: 'text',
      customer_segment: 'text',
      total_orders: 'int',
      lifetime_value: 'money',
      average_order_value: 'money',
      days_since_last_order: 'int',
      is_active: 'bool',
      signup_date: 'date',
      first_order_date: 'date',
      last_order_date: 'date',
    };
    const rows = await built.warehouse.rows('select * from dim_customers');
    expect(summarize(compareRows('dim_customers', rows, 'customer_id', expected, kinds))).toEqual([]);
  });

  it("002's sample query 1 runs verbatim and returns the 10 customers with the highest lifetime value", async () => {
    const ranked = [...customers.values()].sort((a, b) => b.lifetimeValueCents - a.lifetimeValueCents);
    // The 10th and 11th must differ, or "the top 10" would not be one answer.
    expect(ranked[9]?.lifetimeValueCents).toBeGreaterThan(ranked[10]?.lifetimeValueCents ?? -1);
    const rows = await built.warehouse.rows(topCustomersQuery);
    expect(rows).toEqual(
      ranked.slice(0, 10).map((c) => ({
        full_name: fullNames.get(c.customerId),
        lifetime_value: formatCents(c.lifetimeValueCents),
        total_orders: c.completedOrderCount,
        customer_segment: c.segment,
      })),
    );
  });

  it('dim_customers_history keeps every version, one current per customer; fct_orders points at both', async () => {
    const [history] = await built.warehouse.rows(
      'select count(*) as versions, count(*) filter (where is_current) as current_versions, count(distinct customer_id) as customers from dim_customers_history',
    );
    expect(Number(history?.current_versions)).toBe(raw.customers.length);
    expect(Number(history?.customers)).toBe(raw.customers.length);
    expect(Number(history?.versions)).toBeGreaterThanOrEqual(raw.customers.length);
    const [orphans] = await built.warehouse.rows(`
      select
        count(*) filter (where customers.customer_id is distinct from orders.customer_id) as wrong_customer,
        count(*) filter (where versions.customer_id is distinct from orders.customer_id) as wrong_version
      from fct_orders as orders
      left join dim_customers as customers on orders.customer_key = customers.customer_key
      left join dim_customers_history as versions on orders.customer_version_key = versions.customer_version_key`);
    expect({
      wrongCustomer: Number(orphans?.wrong_customer),
      wrongVersion: Number(orphans?.wrong_version),
    }).toEqual({
      wrongCustomer: 0,
      wrongVersion: 0,
    });
  });
});
