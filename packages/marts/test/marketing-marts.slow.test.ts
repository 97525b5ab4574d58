import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysBetween } from '../../intermediate/test/support/calendar.js';
import {
  type BuiltLayer,
  buildLayer,
  failedNodes,
  generated,
} from '../../intermediate/test/support/layer-build.js';
import { divideRounded, formatCents } from '../../intermediate/test/support/money.js';
import {
  orderStatus,
  type RawTouch,
  type RawWarehouse,
  readRawWarehouse,
} from '../../intermediate/test/support/raw-tables-reader.js';
import { compareRows, type Expected, summarize } from '../../intermediate/test/support/row-comparison.js';
import { layer } from '../src/index.js';
import {
  allocatedCents,
  attributionCredits,
  attributionModels,
  type Credit,
  campaignAnswers,
  customerSales,
  salesByDayAndChannel,
  spendToDateCents,
} from './reference/attribution-reference.js';
import { customerAnswers } from './reference/customer-analytics-reference.js';

// Builds the marts project on a small generated warehouse and checks the marketing marts —
// acquisition attribution, campaign economics against spend to date, daily spend and results by
// channel, and 002's daily revenue by marketing channel — against values recomputed here in
// TypeScript from the raw tables and the campaign seed: money in integer cents, to the cent.

const asOf = generated.asOf;
let built: BuiltLayer;
let raw: RawWarehouse;
let credits: Map<string, Credit>;

beforeAll(async () => {
  built = await buildLayer(layer);
  raw = await readRawWarehouse(built.warehouse);
  const lifetimeValues = new Map(
    [...customerAnswers(raw, asOf).values()].map((c) => [c.customerId, c.lifetimeValueCents]),
  );
  credits = attributionCredits(raw, lifetimeValues, customerSales(raw));
}, 180_000);

afterAll(() => built?.dispose());

const rowsOf = (sql: string) => built.warehouse.rows(sql);
const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);

describe('marketing marts build', () => {
  it('builds every model and passes every data test', () => {
    expect(failedNodes(built.results), 'nodes that errored or failed').toEqual([]);
  });
});

describe('acquisition attribution', () => {
  it('marketing_attribution: first-touch, last-touch, linear and organic credit of every customer with a valid order', async () => {
    const expected = new Map<string, Expected>();
    for (const [key, c] of credits) {
      expected.set(key, {
        converting_order_id: c.convertingOrder.id,
        channel: c.channel,
        credited_touch_count: c.creditedTouchCount,
        weight_denominator: c.weightDenominator,
        attribution_weight: c.weight,
        first_order_total: c.convertingOrder.totalCents,
        first_order_revenue: c.convertingOrder.subtotalCents,
        attributed_first_order_revenue: c.attributedFirstOrderRevenueCents,
        customer_revenue: c.customerRevenueCents,
        attributed_revenue: c.attributedRevenueCents,
        customer_gross_profit: c.customerGrossProfitCents,
        attributed_gross_profit: c.attributedGrossProfitCents,
        lifetime_value: c.lifetimeValueCents,
        attributed_lifetime_value: c.attributedLifetimeValueCents,
        is_organic: c.campaignId === null,
        conversion_date: c.convertingOrder.orderDate,
      });
    }
    const rows = await rowsOf('select * from marketing_attribution');
    const key = (row: Record<string, unknown>) =>
      `${row.customer_id}|${row.attribution_model}|${row.campaign_id ?? 'organic'}`;
    const problems = compareRows('marketing_attribution', rows, key, expected, {
      converting_order_id: 'int',
      channel: 'text',
      credited_touch_count: 'int',
      weight_denominator: 'int',
      attribution_weight: { ratio: 6 },
      first_order_total: 'money',
      first_order_revenue: 'money',
      attributed_first_order_revenue: 'money',
      customer_revenue: 'money',
      attributed_revenue: 'money',
      customer_gross_profit: 'money',
      attributed_gross_profit: 'money',
      lifetime_value: 'money',
      attributed_lifetime_value: 'money',
      is_organic: 'bool',
      conversion_date: 'date',
    });
    expect(summarize(problems)).toEqual([]);
  });

  it('acquisition is the first valid order: a cancelled or returned first order acquires nobody', async () => {
    const skipped = [...credits.values()].filter(
      (c) =>
        c.model === 'first_touch' &&
        raw.orders.some(
          (o) =>
            o.customerId === c.customerId &&
            !orderStatus.isValid(o) &&
            (o.orderedAtUs < c.convertingOrder.orderedAtUs ||
              (o.orderedAtUs === c.convertingOrder.orderedAtUs && o.id < c.convertingOrder.id)),
        ),
    );
    expect(
      skipped.length,
      'the fixture should hold customers whose first order was not valid',
    ).toBeGreaterThan(0);
    const ids = skipped.map((c) => c.customerId).join(', ');
    const rows = await rowsOf(
      `select a.customer_id, a.converting_order_id, o.status
       from marketing_attribution as a inner join fct_orders as o on a.converting_order_id = o.order_id
       where a.attribution_model = 'first_touch' and a.customer_id in (${ids}) order by a.customer_id`,
    );
    expect(rows).toEqual(
      skipped
        .sort((a, b) => a.customerId - b.customerId)
        .map((c) => ({
          customer_id: String(c.customerId),
          converting_order_id: String(c.convertingOrder.id),
          status: c.convertingOrder.status,
        })),
    );
    expect(rows.every((r) => r.status !== 'cancelled' && r.status !== 'returned')).toBe(true);
  });

  it('every customer with a valid order is attributed, and under each model the channels add up to all revenue', async () => {
    const buyers = new Set(raw.orders.filter(orderStatus.isValid).map((o) => o.customerId));
    const organic = [...credits.values()].filter((c) => c.model === 'first_touch' && c.campaignId === null);
    expect(organic.length, 'the fixture should hold customers no touch preceded').toBeGreaterThan(0);
    const totalRevenue = sum(raw.orders.filter(orderStatus.isValid).map((o) => o.subtotalCents));
    const rows = await rowsOf(
      `select attribution_model, count(distinct customer_id) as customers,
              cast(sum(attributed_revenue) as varchar) as revenue,
              count(distinct customer_id) filter (where is_organic) as organic_customers
       from marketing_attribution group by attribution_model order by attribution_model`,
    );
    expect(rows).toEqual(
      [...attributionModels].sort().map((model) => ({
        attribution_model: model,
        customers: String(buyers.size),
        revenue: formatCents(totalRevenue),
        organic_customers: String(organic.length),
      })),
    );
    const byChannel = await rowsOf(
      `select channel, cast(sum(attributed_revenue) as varchar) as revenue
       from marketing_attribution where attribution_model = 'linear' group by channel`,
    );
    expect(sum(byChannel.map((r) => Number(String(r.revenue).replace('.', ''))))).toBe(totalRevenue);
    expect(byChannel.map((r) => r.channel)).toContain('direct');
  });

  it("a customer's recorded acquisition channel is their first-touch channel (direct when none), differing only where a cancelled or returned first order explains it", async () => {
    const recorded = new Map(
      (await rowsOf('select id, lower(acquisition_channel) as channel from raw.customers')).map((r) => [
        Number(r.id),
        String(r.channel),
      ]),
    );
    const firstOrderUs = new Map<number, number>();
    for (const o of raw.orders)
      firstOrderUs.set(
        o.customerId,
        Math.min(firstOrderUs.get(o.customerId) ?? Number.POSITIVE_INFINITY, o.orderedAtUs),
      );
    const channelOf = new Map(raw.campaigns.map((c) => [c.id, c.channel]));
    const firstTouchUpTo = (customerId: number, us: number) => {
      const touches = raw.touches
        .filter((t) => t.customerId === customerId && t.touchedAtUs <= us)
        .sort((a, b) => a.touchedAtUs - b.touchedAtUs || a.id - b.id);
      return touches.length === 0 ? 'direct' : (channelOf.get((touches[0] as RawTouch).campaignId) ?? '');
    };
    const firstTouch = [...credits.values()].filter((c) => c.model === 'first_touch');
    const disagreeing = firstTouch.filter((c) => recorded.get(c.customerId) !== c.channel);
    const explained = disagreeing.filter((c) => {
      const first = firstOrderUs.get(c.customerId) ?? c.convertingOrder.orderedAtUs;
      return (
        first < c.convertingOrder.orderedAtUs &&
        recorded.get(c.customerId) === firstTouchUpTo(c.customerId, first)
      );
    });
    expect(explained.map((c) => c.customerId)).toEqual(disagreeing.map((c) => c.customerId));
    expect(disagreeing.length).toBeLessThan(firstTouch.length / 20);
    const rows = await rowsOf(
      `select count(*) as agreeing from marketing_attribution as a inner join stg_ecommerce__customers as c using (customer_id)
       where a.attribution_model = 'first_touch' and a.channel = c.acquisition_channel`,
    );
    expect(rows).toEqual([{ agreeing: String(firstTouch.length - disagreeing.length) }]);
  });

  it('money_allocated splits an amount among shares to the cent: 100.00 in three is 33.33 + 33.34 + 33.33', () => {
    const shares = [1, 2, 3].map((through) => allocatedCents(10_000, through, 1, 3));
    expect(shares).toEqual([3333, 3334, 3333]);
    expect(sum([1, 2, 3].map((through) => allocatedCents(-10_001, through, 1, 3)))).toBe(-10_001);
  });
});

describe('campaign economics against spend to date', () => {
  it('campaign_performance: spend to date, reach, acquisitions, tagged revenue, CAC, ROI in percent, ROAS and is_active', async () => {
    const answers = [...campaignAnswers(raw, credits, asOf).values()];
    expect(
      answers.some((c) => c.spendToDateCents === 0),
      'a campaign that has not started',
    ).toBe(true);
    expect(
      answers.some((c) => c.isActive && c.spendToDateCents < c.budgetCents),
      'a campaign still running',
    ).toBe(true);
    expect(
      answers.some((c) => c.spendToDateCents === c.budgetCents),
      'a campaign that has ended',
    ).toBe(true);
    const expected = new Map<string, Expected>();
    for (const c of answers) {
      expected.set(String(c.campaignId), {
        budget: c.budgetCents,
        spend_to_date: c.spendToDateCents,
        flight_days_elapsed: c.flightDaysElapsed,
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
        gross_order_value: c.grossOrderValueCents,
        acquired_first_order_revenue: c.acquiredFirstOrderRevenueCents,
        acquired_customer_revenue: c.acquiredCustomerRevenueCents,
        acquired_customer_gross_profit: c.acquiredCustomerGrossProfitCents,
        acquired_customer_ltv: c.acquiredCustomerLtvCents,
        customer_acquisition_cost: c.customerAcquisitionCostCents,
        ltv_per_acquired_customer: c.ltvPerAcquiredCustomerCents,
        roi_on_revenue_pct: c.roiOnRevenuePct,
        roi_on_gross_profit_pct: c.roiOnGrossProfitPct,
        return_on_ad_spend: c.returnOnAdSpend,
        is_active: c.isActive,
        as_of_date: asOf,
      });
    }
    const problems = compareRows(
      'campaign_performance',
      await rowsOf('select * from campaign_performance'),
      'campaign_id',
      expected,
      {
        budget: 'money',
        spend_to_date: 'money',
        flight_days_elapsed: 'int',
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
        gross_order_value: 'money',
        acquired_first_order_revenue: 'money',
        acquired_customer_revenue: 'money',
        acquired_customer_gross_profit: 'money',
        acquired_customer_ltv: 'money',
        customer_acquisition_cost: 'money',
        ltv_per_acquired_customer: 'money',
        roi_on_revenue_pct: { ratio: 2 },
        roi_on_gross_profit_pct: { ratio: 2 },
        return_on_ad_spend: { ratio: 4 },
        is_active: 'bool',
        as_of_date: 'date',
      },
    );
    expect(summarize(problems)).toEqual([]);
  });

  it('per campaign, the daily spend summed up to the as-of date is its spend to date; over the whole flight, its budget', async () => {
    const rows = await rowsOf(
      `select campaign_id, cast(sum(spend) filter (where spend_date <= date '${asOf}') as varchar) as to_date,
              cast(sum(spend) as varchar) as whole_flight, count(*) as days,
              cast(max(spend) - min(spend) as varchar) as spread
       from int_campaign_budgets_allocated_by_day group by campaign_id order by campaign_id`,
    );
    const performance = await rowsOf(
      'select campaign_id, cast(spend_to_date as varchar) as spend_to_date from campaign_performance order by campaign_id',
    );
    expect(performance.map((p) => p.spend_to_date)).toEqual(rows.map((r) => r.to_date ?? '0.00'));
    expect(rows).toEqual(
      [...raw.campaigns]
        .sort((a, b) => a.id - b.id)
        .map((c) => ({
          campaign_id: c.id,
          to_date:
            c.startDate > asOf
              ? null
              : formatCents(spendToDateCents(c.budgetCents, c.startDate, c.endDate, asOf)),
          whole_flight: formatCents(c.budgetCents),
          days: String(daysBetween(c.startDate, c.endDate) + 1),
          spread: c.budgetCents % (daysBetween(c.startDate, c.endDate) + 1) === 0 ? '0.00' : '0.01',
        })),
    );
  });

  it('marketing_performance_daily: spend, tagged sales, acquisitions and ROAS = revenue / spend as shown, per day and channel', async () => {
    const channelOf = new Map(raw.campaigns.map((c) => [c.id, c.channel]));
    const rows = await rowsOf(
      `select cast(date_day as varchar) as day, channel, spend, touch_count, valid_order_count, revenue,
              customers_acquired_linear, return_on_ad_spend from marketing_performance_daily`,
    );
    const days = [...new Set(rows.map((r) => String(r.day)))].sort();
    const expected = new Map<string, Expected>();
    for (const day of days)
      for (const channel of new Set(channelOf.values())) {
        const spend = sum(
          raw.campaigns
            .filter((c) => c.channel === channel && c.startDate <= day && day <= c.endDate)
            .map((c) => {
              const k = daysBetween(c.startDate, day) + 1;
              const n = daysBetween(c.startDate, c.endDate) + 1;
              return allocatedCents(c.budgetCents, k, 1, n);
            }),
        );
        const tagged = raw.orders.filter(
          (o) =>
            o.orderDate === day &&
            o.campaignId !== null &&
            channelOf.get(o.campaignId) === channel &&
            orderStatus.isValid(o),
        );
        const revenue = sum(tagged.map((o) => o.subtotalCents));
        expected.set(`${day}|${channel}`, {
          spend,
          touch_count: raw.touches.filter(
            (t) => t.touchDate === day && channelOf.get(t.campaignId) === channel,
          ).length,
          valid_order_count: tagged.length,
          revenue,
          customers_acquired_linear: sum(
            [...credits.values()]
              .filter(
                (c) =>
                  c.model === 'linear' &&
                  c.campaignId !== null &&
                  c.channel === channel &&
                  c.convertingOrder.orderDate === day,
              )
              .map((c) => c.weight),
          ),
          return_on_ad_spend: spend === 0 ? null : revenue / spend,
        });
      }
    expect(days[0]).toBe(
      [
        ...raw.campaigns.map((c) => c.startDate),
        ...raw.orders.map((o) => o.orderDate),
        ...raw.touches.map((t) => t.touchDate),
      ].sort()[0],
    );
    expect(days.at(-1)).toBe(asOf);
    expect(days.length).toBe(daysBetween(days[0] as string, asOf) + 1);
    const problems = compareRows(
      'marketing_performance_daily',
      rows,
      (r) => `${r.day}|${r.channel}`,
      expected,
      {
        spend: 'money',
        touch_count: 'int',
        valid_order_count: 'int',
        revenue: 'money',
        customers_acquired_linear: { ratio: 4 },
        return_on_ad_spend: { ratio: 4 },
      },
    );
    expect(summarize(problems)).toEqual([]);
  });
});

describe("002's daily revenue with marketing context", () => {
  // 002, Appendix "Sample Queries", verbatim.
  const sampleQuery = `SELECT order_date, total_revenue, total_orders, avg_order_value, marketing_channel
  FROM marketing_performance
  ORDER BY order_date DESC
  LIMIT 14;`;

  it('marketing_performance: every day × channel with valid orders, net revenue, orders, AOV and revenue share', async () => {
    const reference = salesByDayAndChannel(raw, asOf);
    const revenueOfDay = new Map<string, number>();
    for (const d of reference.values())
      revenueOfDay.set(d.orderDate, (revenueOfDay.get(d.orderDate) ?? 0) + d.totalRevenueCents);
    const expected = new Map<string, Expected>();
    for (const [key, d] of reference) {
      const dayRevenue = revenueOfDay.get(d.orderDate) ?? 0;
      expected.set(key, {
        total_orders: d.totalOrders,
        campaign_order_count: d.campaignOrderCount,
        customer_count: d.customerCount,
        total_revenue: d.totalRevenueCents,
        gross_order_value: d.grossOrderValueCents,
        avg_order_value: divideRounded(d.totalRevenueCents, d.totalOrders),
        revenue_share: dayRevenue === 0 ? null : d.totalRevenueCents / dayRevenue,
        date_key: Number(d.orderDate.replaceAll('-', '')),
      });
    }
    const rows = await rowsOf('select *, cast(order_date as varchar) as day from marketing_performance');
    const problems = compareRows(
      'marketing_performance',
      rows,
      (r) => `${r.day}|${r.marketing_channel}`,
      expected,
      {
        total_orders: 'int',
        campaign_order_count: 'int',
        customer_count: 'int',
        total_revenue: 'money',
        gross_order_value: 'money',
        avg_order_value: 'money',
        revenue_share: { ratio: 4 },
        date_key: 'int',
      },
    );
    expect(summarize(problems)).toEqual([]);
  });

  it('the sample query runs verbatim and returns the latest 14 day × channel rows, each as computed from the raw tables', async () => {
    const rows = await rowsOf(sampleQuery);
    const reference = [...salesByDayAndChannel(raw, asOf).values()].sort((a, b) =>
      b.orderDate.localeCompare(a.orderDate),
    );
    expect(rows).toHaveLength(14);
    expect(rows.map((r) => r.order_date)).toEqual(reference.slice(0, 14).map((d) => d.orderDate));
    // Rows of the same day may come in any order; each must be that day × channel's figures.
    for (const row of rows) {
      const d = reference.find((x) => x.orderDate === row.order_date && x.channel === row.marketing_channel);
      expect(d, `${row.order_date} ${row.marketing_channel}`).toBeDefined();
      expect(row).toEqual({
        order_date: d?.orderDate,
        total_revenue: formatCents(d?.totalRevenueCents ?? -1),
        total_orders: d?.totalOrders,
        avg_order_value: formatCents(divideRounded(d?.totalRevenueCents ?? -1, d?.totalOrders ?? 1)),
        marketing_channel: d?.channel,
      });
    }
    expect(new Set(rows.map((r) => r.marketing_channel)).size).toBeGreaterThan(1);
    expect(rows[0]?.order_date).toBe(reference[0]?.orderDate);
  });

  it('the channels of each day add up to the day’s valid orders and net revenue', async () => {
    const rows = await rowsOf(
      `select cast(order_date as varchar) as day, sum(total_orders) as orders, cast(sum(total_revenue) as varchar) as revenue
       from marketing_performance group by order_date`,
    );
    const valid = raw.orders.filter((o) => orderStatus.isValid(o) && o.orderDate <= asOf);
    const expected = new Map<string, Expected>();
    for (const day of new Set(valid.map((o) => o.orderDate))) {
      const ofDay = valid.filter((o) => o.orderDate === day);
      expected.set(day, { orders: ofDay.length, revenue: sum(ofDay.map((o) => o.subtotalCents)) });
    }
    const problems = compareRows('marketing_performance by day', rows, 'day', expected, {
      orders: 'int',
      revenue: 'money',
    });
    expect(summarize(problems)).toEqual([]);
  });
});

describe('exposures', () => {
  it('every exposure links its page on the docs site and names the segments as the spec does', () => {
    const text = readFileSync(new URL('../models/_exposures.yml', import.meta.url), 'utf8');
    const names = [...text.matchAll(/^ {2}- name: (\w+)$/gm)].map((m) => m[1]);
    const urls = [...text.matchAll(/^ {4}url: "(.*)"$/gm)].map((m) => m[1]);
    expect(names).toContain('marketing_performance_dashboard');
    expect(urls).toEqual(names.map((name) => `#!/exposure/exposure.marts.${name}`));
    expect(text).not.toMatch(/at_risk/);
  });
});
