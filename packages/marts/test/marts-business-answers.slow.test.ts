import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltLayer,
  buildLayer,
  failedNodes,
  generated,
} from '../../intermediate/test/support/layer-build.js';
import { divideRounded } from '../../intermediate/test/support/money.js';
import {
  orderStatus,
  type RawWarehouse,
  readRawWarehouse,
} from '../../intermediate/test/support/raw-tables-reader.js';
import { compareRows, type Expected, summarize } from '../../intermediate/test/support/row-comparison.js';
import { layer } from '../src/index.js';
import { attributionCredits, type Credit, campaignAnswers } from './reference/attribution-reference.js';
import {
  type CustomerAnswer,
  customerAnswers,
  type Segment,
} from './reference/customer-analytics-reference.js';

// Builds the whole marts project (staging → intermediate → marts, every data test) on a small
// generated warehouse, then checks the business answers of the acceptance scenarios — customer
// analytics and attribution — against values recomputed here in
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
// series-products.slow.test.ts, on a build with a later start_date.

describe('marketing attribution', () => {
  let credits: Map<string, Credit>;
  beforeAll(() => {
    credits = attributionCredits(
      raw,
      new Map([...customers.values()].map((c) => [c.customerId, c.lifetimeValueCents])),
    );
  });

  it('marketing_attribution: first-touch, last-touch and linear credit of every acquired customer', async () => {
    const expected = new Map<string, Expected>();
    for (const [key, c] of credits) {
      expected.set(key, {
        converting_order_id: c.convertingOrder.id,
        channel: c.channel,
        credited_touch_count: c.creditedTouchCount,
        attribution_weight: c.weight,
        first_order_total: c.convertingOrder.totalCents,
        attributed_first_order_revenue: c.attributedFirstOrderRevenueCents,
        lifetime_value: c.lifetimeValueCents,
        attributed_lifetime_value: c.attributedLifetimeValueCents,
        conversion_date: c.convertingOrder.orderDate,
      });
    }
    const rows = await rowsOf('marketing_attribution');
    const key = (row: Record<string, unknown>) =>
      `${row.customer_id}|${row.attribution_model}|${row.campaign_id}`;
    const problems = compareRows('marketing_attribution', rows, key, expected, {
      converting_order_id: 'int',
      channel: 'text',
      credited_touch_count: 'int',
      attribution_weight: { ratio: 6 },
      first_order_total: 'money',
      attributed_first_order_revenue: 'money',
      lifetime_value: 'money',
      attributed_lifetime_value: 'money',
      conversion_date: 'date',
    });
    expect(summarize(problems)).toEqual([]);
  });

  it('campaign_performance: reach, acquisitions per model, tagged revenue, CAC, acquired LTV and ROI', async () => {
    const expected = new Map<string, Expected>();
    for (const c of campaignAnswers(raw, credits).values()) {
      expected.set(String(c.campaignId), {
        budget: c.budgetCents,
        touch_count: c.touchCount,
        customers_touched: c.customersTouched,
        customers_acquired_first_touch: c.acquiredFirstTouch,
        customers_acquired_last_touch: c.acquiredLastTouch,
        customers_acquired_linear: c.acquiredLinear,
        order_count: c.orderCount,
        valid_order_count: c.validOrderCount,
        ordering_customer_count: c.orderingCustomerCount,
        revenue: c.revenueCents,
        completed_revenue: c.completedRevenueCents,
        acquired_first_order_revenue: c.acquiredFirstOrderRevenueCents,
        acquired_customer_ltv: c.acquiredCustomerLtvCents,
        customer_acquisition_cost: c.customerAcquisitionCostCents,
        ltv_per_acquired_customer: c.ltvPerAcquiredCustomerCents,
        return_on_investment: c.returnOnInvestment,
        return_on_ad_spend: c.returnOnAdSpend,
      });
    }
    const problems = compareRows(
      'campaign_performance',
      await rowsOf('campaign_performance'),
      'campaign_id',
      expected,
      {
        budget: 'money',
        touch_count: 'int',
        customers_touched: 'int',
        customers_acquired_first_touch: 'int',
        customers_acquired_last_touch: 'int',
        customers_acquired_linear: { ratio: 4 },
        order_count: 'int',
        valid_order_count: 'int',
        ordering_customer_count: 'int',
        revenue: 'money',
        completed_revenue: 'money',
        acquired_first_order_revenue: 'money',
        acquired_customer_ltv: 'money',
        customer_acquisition_cost: 'money',
        ltv_per_acquired_customer: 'money',
        return_on_investment: { ratio: 4 },
        return_on_ad_spend: { ratio: 4 },
      },
    );
    expect(summarize(problems)).toEqual([]);
  });

  it('marketing_performance_daily: each channel adds up to its touches, tagged sales and linear acquisitions', async () => {
    const channelOf = new Map(raw.campaigns.map((c) => [c.id, c.channel]));
    const expected = new Map<string, Expected>();
    for (const channel of new Set(raw.campaigns.map((c) => c.channel))) {
      const tagged = raw.orders.filter(
        (o) => o.campaignId !== null && channelOf.get(o.campaignId) === channel && o.orderDate <= asOf,
      );
      const valid = tagged.filter(orderStatus.isValid);
      expected.set(channel, {
        touch_count: raw.touches.filter((t) => channelOf.get(t.campaignId) === channel && t.touchDate <= asOf)
          .length,
        valid_order_count: valid.length,
        revenue: valid.reduce((sum, o) => sum + o.totalCents, 0),
        customers_acquired_linear: [...credits.values()]
          .filter((c) => c.model === 'linear' && c.channel === channel)
          .reduce((sum, c) => sum + c.weight, 0),
      });
    }
    const rows = await built.warehouse.rows(
      `select channel, sum(touch_count) as touch_count, sum(valid_order_count) as valid_order_count,
              sum(revenue) as revenue, sum(customers_acquired_linear) as customers_acquired_linear
       from marketing_performance_daily group by channel`,
    );
    const problems = compareRows('marketing_performance_daily', rows, 'channel', expected, {
      touch_count: 'int',
      valid_order_count: 'int',
      revenue: 'money',
      // Rounded to 4 decimals per day before summing, so allow the rounding of every day.
      customers_acquired_linear: { ratio: 1 },
    });
    expect(summarize(problems)).toEqual([]);
  });
});
