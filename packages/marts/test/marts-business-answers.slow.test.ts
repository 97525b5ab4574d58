import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltLayer,
  buildLayer,
  failedNodes,
  generated,
} from '../../intermediate/test/support/layer-build.js';
import { divideRounded } from '../../intermediate/test/support/money.js';
import { type RawWarehouse, readRawWarehouse } from '../../intermediate/test/support/raw-tables-reader.js';
import { compareRows, type Expected, summarize } from '../../intermediate/test/support/row-comparison.js';
import { layer } from '../src/index.js';
import {
  type CustomerAnswer,
  customerAnswers,
  type Segment,
} from './reference/customer-analytics-reference.js';

// Builds the whole marts project (staging → intermediate → marts, every data test) on a small
// generated warehouse, then checks the business answers of the acceptance scenarios — customer
// analytics — against values recomputed here in
// TypeScript from the raw tables and seeds: money in integer cents, compared to the cent.

const asOf = generated.asOf;
let built: BuiltLayer;
let raw: RawWarehouse;
let customers: Map<number, CustomerAnswer>;

beforeAll(async () => {
  built = await buildLayer(layer);
  raw = await readRawWarehouse(built.warehouse);
  customers = customerAnswers(raw, asOf);
}, 180_000);

afterAll(() => built?.dispose());

const rowsOf = (model: string) => built.warehouse.rows(`select * from ${model}`);

describe('marts build on a generated warehouse', () => {
  it('builds every model and passes every data test', () => {
    expect(failedNodes(built.results), 'nodes that errored or failed').toEqual([]);
    expect(built.results.success).toBe(true);
  });
});

describe('customer analytics', () => {
  it('the fixture holds every segment, a customer without orders and one whose orders were all returned', () => {
    const segments = new Set([...customers.values()].map((c) => c.segment));
    expect([...segments].sort()).toEqual(['active', 'at-risk', 'dormant', 'new', 'vip']);
    expect([...customers.values()].some((c) => c.orderCount === 0)).toBe(true);
    expect(
      [...customers.values()].some((c) => c.orderCount > 0 && c.returnedOrderCount === c.orderCount),
    ).toBe(true);
  });

  it('an all-returned customer has lifetime value 0.00 and no RFM scores', async () => {
    const allReturned = [...customers.values()].filter(
      (c) => c.orderCount > 0 && c.returnedOrderCount === c.orderCount,
    );
    const ids = allReturned.map((c) => c.customerId).join(', ');
    const rows = await built.warehouse.rows(
      `select customer_id, lifetime_value, rfm_cell, returned_order_count from customer_analytics where customer_id in (${ids}) order by customer_id`,
    );
    expect(rows).toEqual(
      allReturned.map((c) => ({
        customer_id: String(c.customerId),
        lifetime_value: '0.00',
        rfm_cell: null,
        returned_order_count: c.returnedOrderCount,
      })),
    );
  });

  it('customer_analytics: value, counts, recency, RFM and segment of every customer', async () => {
    const expected = new Map<string, Expected>();
    for (const c of customers.values()) {
      const hasCompleted = c.completedOrderCount > 0;
      expected.set(String(c.customerId), {
        customer_segment: c.segment,
        rfm_cell: hasCompleted ? `${c.recencyScore}${c.frequencyScore}${c.monetaryScore}` : null,
        order_count: c.orderCount,
        completed_order_count: c.completedOrderCount,
        valid_order_count: c.validOrderCount,
        cancelled_order_count: c.cancelledOrderCount,
        returned_order_count: c.returnedOrderCount,
        lifetime_value: c.lifetimeValueCents,
        average_order_value: c.averageOrderValueCents,
        valid_order_total: c.validOrderTotalCents,
        days_since_signup: c.daysSinceSignup,
        days_since_first_order: c.daysSinceFirstOrder,
        days_since_last_order: c.daysSinceLastOrder,
        recency_days: c.daysSinceLastCompletedOrder,
        frequency: c.completedOrderCount,
        monetary_value: c.lifetimeValueCents,
        recency_score: c.recencyScore,
        frequency_score: c.frequencyScore,
        monetary_score: c.monetaryScore,
        rfm_total_score: hasCompleted
          ? (c.recencyScore ?? 0) + (c.frequencyScore ?? 0) + (c.monetaryScore ?? 0)
          : null,
        has_ordered: c.orderCount > 0,
        has_completed_order: hasCompleted,
        is_repeat_customer: c.completedOrderCount >= 2,
        is_high_value: c.lifetimeValueCents >= 100_000,
        is_active: c.daysSinceLastOrder !== null && c.daysSinceLastOrder <= 90,
        signup_date: c.signupDate,
        first_order_date: c.firstOrderDate,
        last_order_date: c.lastOrderDate,
        last_completed_order_date: c.lastCompletedOrderDate,
        as_of_date: asOf,
      });
    }
    const problems = compareRows(
      'customer_analytics',
      await rowsOf('customer_analytics'),
      'customer_id',
      expected,
      {
        customer_segment: 'text',
        rfm_cell: 'text',
        order_count: 'int',
        completed_order_count: 'int',
        valid_order_count: 'int',
        cancelled_order_count: 'int',
        returned_order_count: 'int',
        lifetime_value: 'money',
        average_order_value: 'money',
        valid_order_total: 'money',
        days_since_signup: 'int',
        days_since_first_order: 'int',
        days_since_last_order: 'int',
        recency_days: 'int',
        frequency: 'int',
        monetary_value: 'money',
        recency_score: 'int',
        frequency_score: 'int',
        monetary_score: 'int',
        rfm_total_score: 'int',
        has_ordered: 'bool',
        has_completed_order: 'bool',
        is_repeat_customer: 'bool',
        is_high_value: 'bool',
        is_active: 'bool',
        signup_date: 'date',
        first_order_date: 'date',
        last_order_date: 'date',
        last_completed_order_date: 'date',
        as_of_date: 'date',
      },
    );
    expect(summarize(problems)).toEqual([]);
  });

  it('customer_segments: size, buyers, value and averages of each segment', async () => {
    const order: Segment[] = ['vip', 'new', 'active', 'at-risk', 'dormant'];
    const all = [...customers.values()];
    const totalLtv = all.reduce((sum, c) => sum + c.lifetimeValueCents, 0);
    const average = (values: number[]) =>
      values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    const expected = new Map<string, Expected>();
    for (const segment of order) {
      const members = all.filter((c) => c.segment === segment);
      const ltv = members.reduce((sum, c) => sum + c.lifetimeValueCents, 0);
      const scored = members.filter((c) => c.completedOrderCount > 0);
      expected.set(segment, {
        segment_order: order.indexOf(segment) + 1,
        customer_count: members.length,
        share_of_customers: members.length / all.length,
        buyer_count: members.filter((c) => c.orderCount > 0).length,
        lifetime_value: ltv,
        share_of_lifetime_value: totalLtv === 0 ? null : ltv / totalLtv,
        lifetime_value_per_customer: members.length === 0 ? null : divideRounded(ltv, members.length),
        completed_order_count: members.reduce((sum, c) => sum + c.completedOrderCount, 0),
        avg_days_since_last_order: average(
          members.flatMap((c) => (c.daysSinceLastOrder === null ? [] : [c.daysSinceLastOrder])),
        ),
        avg_rfm_total_score: average(
          scored.map((c) => (c.recencyScore ?? 0) + (c.frequencyScore ?? 0) + (c.monetaryScore ?? 0)),
        ),
      });
    }
    const problems = compareRows(
      'customer_segments',
      await rowsOf('customer_segments'),
      'customer_segment',
      expected,
      {
        segment_order: 'int',
        customer_count: 'int',
        share_of_customers: { ratio: 4 },
        buyer_count: 'int',
        lifetime_value: 'money',
        share_of_lifetime_value: { ratio: 4 },
        lifetime_value_per_customer: 'money',
        completed_order_count: 'int',
        avg_days_since_last_order: { ratio: 1 },
        avg_rfm_total_score: { ratio: 2 },
      },
    );
    expect(summarize(problems)).toEqual([]);
  });
});

// Product performance, product_summary and the time series are checked in
// series-products.slow.test.ts, on a build with a later start_date; the marketing marts in
// marketing-marts.slow.test.ts.
