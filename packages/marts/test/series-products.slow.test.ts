import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildManifest, defineProject, SqlCompiler } from '@shopsmart/core-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDays,
  nextPeriodStart,
  oneYearEarlier,
  periodStart,
} from '../../intermediate/test/support/calendar.js';
import {
  type BuiltLayer,
  buildLayer,
  failedNodes,
  generated,
} from '../../intermediate/test/support/layer-build.js';
import { formatCents } from '../../intermediate/test/support/money.js';
import {
  orderStatus,
  type RawWarehouse,
  readRawWarehouse,
} from '../../intermediate/test/support/raw-tables-reader.js';
import {
  type ColumnKind,
  compareRows,
  type Expected,
  summarize,
} from '../../intermediate/test/support/row-comparison.js';
import { layer } from '../src/index.js';
import { isoWeek, ordersSeries, seriesFirstDay } from './reference/orders-series-reference.js';
import { productAnswers } from './reference/product-performance-reference.js';
import { categorySummaries, type RawPayment } from './reference/product-summary-reference.js';

// Builds the whole marts project on a small generated warehouse with the start_date var moved
// past the first orders (a Wednesday in mid-January, so the first week and month are cut), then
// checks the time series, product_performance and product_summary against values recomputed here
// in TypeScript from the raw tables: money in integer cents, compared to the cent.

const asOf = generated.asOf;
const startDate = '2024-01-10';
let built: BuiltLayer;
let raw: RawWarehouse;

beforeAll(async () => {
  built = await buildLayer(layer, undefined, { start_date: startDate });
  raw = await readRawWarehouse(built.warehouse);
}, 180_000);

afterAll(() => built?.dispose());

const rowsOf = (model: string) => built.warehouse.rows(`select * from ${model}`);

const series = [
  { model: 'orders_daily', grain: 'day', periodColumn: 'date_day', growth: 'dod' },
  { model: 'orders_weekly', grain: 'week', periodColumn: 'week_start_date', growth: 'wow' },
  { model: 'orders_monthly', grain: 'month', periodColumn: 'month_start_date', growth: 'mom' },
] as const;

describe('marts built with a later start_date', () => {
  it('builds every model and passes every data test', () => {
    expect(failedNodes(built.results), 'nodes that errored or failed').toEqual([]);
    expect(built.results.success).toBe(true);
  });

  it('the time series start at start_date and drop the orders placed before it', async () => {
    const earlier = raw.orders.filter((o) => o.orderDate < startDate && orderStatus.isValid(o));
    expect(
      earlier.length,
      'the generated warehouse should have valid orders before start_date',
    ).toBeGreaterThan(0);
    expect(seriesFirstDay(raw, startDate)).toBe(startDate);
    const [first] = await built.warehouse.rows(
      `select (select cast(min(date_day) as varchar) from orders_daily) as first_day,
              (select cast(min(week_start_date) as varchar) from orders_weekly) as first_week,
              (select days_covered from orders_weekly order by week_start_date limit 1) as first_week_days,
              (select cast(min(month_start_date) as varchar) from orders_monthly) as first_month,
              (select days_covered from orders_monthly order by month_start_date limit 1) as first_month_days,
              (select cast(count(*) as integer) from orders_daily where date_day < '${startDate}') as days_before`,
    );
    expect(first).toEqual({
      first_day: startDate,
      first_week: '2024-01-08',
      first_week_days: 5,
      first_month: '2024-01-01',
      first_month_days: 22,
      days_before: 0,
    });
  });
});

describe('time series', () => {
  for (const { model, grain, periodColumn, growth } of series) {
    it(`${model}: every period with its counts, money, AOV, YTD, completeness and growth`, async () => {
      const columns: Record<string, ColumnKind> = {
        date_key: 'int',
        order_count: 'int',
        total_orders: 'int',
        completed_order_count: 'int',
        cancelled_order_count: 'int',
        returned_order_count: 'int',
        unique_customers: 'int',
        new_customer_count: 'int',
        total_units: 'int',
        total_revenue: 'money',
        gross_order_value: 'money',
        cost_of_goods: 'money',
        gross_profit: 'money',
        completed_revenue: 'money',
        discount_amount: 'money',
        average_order_value: 'money',
        cumulative_revenue_ytd: 'money',
        cumulative_orders_ytd: 'int',
        previous_period_revenue: 'money',
        [`${growth}_growth_pct`]: { ratio: 2 },
        [`orders_${growth}_growth_pct`]: { ratio: 2 },
        last_year_revenue: 'money',
        yoy_growth_pct: { ratio: 2 },
        orders_yoy_growth_pct: { ratio: 2 },
        days_covered: 'int',
        year: 'int',
        is_complete_period: 'bool',
        ...(grain === 'week' ? { iso_year: 'int', week_number: 'int', week_end_date: 'date' } : {}),
        ...(grain === 'month' ? { month: 'int', month_name: 'text', month_end_date: 'date' } : {}),
      };
      const expected = new Map<string, Expected>();
      for (const p of ordersSeries(raw, asOf, grain, startDate).values()) {
        const week = isoWeek(p.start);
        expected.set(p.start, {
          date_key: p.dateKey,
          order_count: p.orderCount,
          total_orders: p.totalOrders,
          completed_order_count: p.completedOrderCount,
          cancelled_order_count: p.cancelledOrderCount,
          returned_order_count: p.returnedOrderCount,
          unique_customers: p.uniqueCustomers,
          new_customer_count: p.newCustomerCount,
          total_units: p.totalUnits,
          total_revenue: p.totalRevenueCents,
          gross_order_value: p.grossOrderValueCents,
          cost_of_goods: p.costCents,
          gross_profit: p.grossProfitCents,
          completed_revenue: p.completedRevenueCents,
          discount_amount: p.discountCents,
          average_order_value: p.averageOrderValueCents,
          cumulative_revenue_ytd: p.ytdRevenueCents,
          cumulative_orders_ytd: p.ytdOrders,
          previous_period_revenue: p.previousPeriodRevenueCents,
          [`${growth}_growth_pct`]: p.growthPct,
          [`orders_${growth}_growth_pct`]: p.ordersGrowthPct,
          last_year_revenue: p.lastYearRevenueCents,
          yoy_growth_pct: p.yoyGrowthPct,
          orders_yoy_growth_pct: p.ordersYoyGrowthPct,
          days_covered: p.daysCovered,
          year: p.year,
          is_complete_period: p.isComplete,
          iso_year: week.isoYear,
          week_number: week.week,
          week_end_date: p.end,
          month: Number(p.start.slice(5, 7)),
          month_name: new Date(`${p.start}T00:00:00Z`).toLocaleString('en-US', {
            month: 'long',
            timeZone: 'UTC',
          }),
          month_end_date: p.end,
        });
      }
      const problems = compareRows(model, await rowsOf(model), periodColumn, expected, columns);
      expect(summarize(problems)).toEqual([]);
    });
  }

  it('the current week is flagged incomplete and has no growth; complete weeks do', async () => {
    const weeks = await built.warehouse.rows(
      `select is_complete_period, wow_growth_pct, yoy_growth_pct from orders_weekly order by week_start_date desc limit 2`,
    );
    // 2026-06-30, the as-of date, is a Tuesday.
    expect(weeks[0]).toEqual({ is_complete_period: false, wow_growth_pct: null, yoy_growth_pct: null });
    expect(weeks[1]?.is_complete_period).toBe(true);
    expect(weeks[1]?.wow_growth_pct).not.toBeNull();
  });

  it('year-to-date agrees across grains: every year ends on the same total at each grain', async () => {
    const yearEnds = await built.warehouse.rows(
      `select 'day' as grain, year, cast(arg_max(cumulative_revenue_ytd, date_day) as varchar) as ytd from orders_daily group by year
       union all
       select 'week', year, cast(arg_max(cumulative_revenue_ytd, week_start_date) as varchar) from orders_weekly group by year
       union all
       select 'month', year, cast(arg_max(cumulative_revenue_ytd, month_start_date) as varchar) from orders_monthly group by year`,
    );
    const daily = [...ordersSeries(raw, asOf, 'day', startDate).values()];
    const expected = new Map<string, string>();
    for (const year of new Set(daily.map((d) => d.year))) {
      const total = formatCents(
        daily.filter((d) => d.year === year).reduce((sum, d) => sum + d.totalRevenueCents, 0),
      ) as string;
      for (const grain of ['day', 'week', 'month']) expected.set(`${grain}|${year}`, total);
    }
    const actual = new Map(yearEnds.map((r) => [`${r.grain}|${r.year}`, String(r.ytd)]));
    expect(actual).toEqual(expected);
    expect(expected.size / 3, 'the fixture spans several calendar years').toBeGreaterThanOrEqual(3);
  });
});

describe('one revenue across the series, the products and the line fact', () => {
  it('series, product_performance, product_summary and raw order lines report the same totals', async () => {
    const valid = raw.orders.filter(
      (o) => o.orderDate >= startDate && o.orderDate <= asOf && orderStatus.isValid(o),
    );
    const validIds = new Set(valid.map((o) => o.id));
    const lines = raw.orderItems.filter((i) => validIds.has(i.orderId));
    const revenue = formatCents(lines.reduce((sum, i) => sum + i.lineTotalCents, 0));
    const units = lines.reduce((sum, i) => sum + i.quantity, 0);
    const rows = await built.warehouse.rows(
      `select 'orders_daily' as mart, cast(sum(total_revenue) as varchar) as revenue, sum(total_units) as units from orders_daily
       union all select 'orders_weekly', cast(sum(total_revenue) as varchar), sum(total_units) from orders_weekly
       union all select 'orders_monthly', cast(sum(total_revenue) as varchar), sum(total_units) from orders_monthly
       union all select 'product_performance', cast(sum(revenue) as varchar), sum(units_sold) from product_performance
       union all select 'product_summary', cast(sum(total_revenue) as varchar), sum(total_units) from product_summary
       union all select 'fct_order_items', cast(sum(line_total) as varchar), sum(quantity) from fct_order_items
         where is_valid and order_date between '${startDate}' and '${asOf}'`,
    );
    expect(rows.map((r) => ({ mart: r.mart, revenue: r.revenue, units: Number(r.units) }))).toEqual(
      [
        'orders_daily',
        'orders_weekly',
        'orders_monthly',
        'product_performance',
        'product_summary',
        'fct_order_items',
      ].map((mart) => ({ mart, revenue, units })),
    );
  });
});

describe('products', () => {
  it('product_performance: sales, profit, margin, returns, velocity and ranks of every product', async () => {
    const expected = new Map<string, Expected>();
    for (const p of productAnswers(raw, asOf, startDate).values()) {
      expected.set(String(p.productId), {
        category_id: p.categoryId,
        category_name: p.category,
        order_count: p.orderCount,
        orders_with_discount: p.ordersWithDiscount,
        units_sold: p.unitsSold,
        units_delivered: p.unitsDelivered,
        units_returned: p.unitsReturned,
        units_cancelled: p.unitsCancelled,
        revenue: p.revenueCents,
        discount_amount: p.discountCents,
        cost_of_goods_sold: p.costCents,
        gross_profit: p.profitCents,
        gross_margin_pct: p.marginPct,
        average_selling_price: p.averageSellingPriceCents,
        return_rate: p.returnRate,
        units_sold_trailing: p.unitsSoldTrailing,
        revenue_trailing: p.revenueTrailingCents,
        units_per_day_trailing: p.unitsSoldTrailing / 90,
        days_with_sales: p.daysWithSales,
        days_since_last_sale: p.daysSinceLastSale,
        share_of_category_revenue: p.shareOfCategoryRevenue,
        revenue_rank_overall: p.revenueRankOverall,
        revenue_rank_in_category: p.revenueRankInCategory,
        profit_rank_overall: p.profitRankOverall,
        units_rank_overall: p.unitsRankOverall,
        units_rank_in_category: p.unitsRankInCategory,
        margin_rank_in_category: p.marginRankInCategory,
        is_active: p.isActive,
        has_sales: p.unitsSold > 0,
        is_slow_mover: p.isSlowMover,
        first_sold_date: p.firstSoldDate,
        last_sold_date: p.lastSoldDate,
      });
    }
    const problems = compareRows(
      'product_performance',
      await rowsOf('product_performance'),
      'product_id',
      expected,
      {
        category_id: 'int',
        category_name: 'text',
        order_count: 'int',
        orders_with_discount: 'int',
        units_sold: 'int',
        units_delivered: 'int',
        units_returned: 'int',
        units_cancelled: 'int',
        revenue: 'money',
        discount_amount: 'money',
        cost_of_goods_sold: 'money',
        gross_profit: 'money',
        gross_margin_pct: { ratio: 2 },
        average_selling_price: 'money',
        return_rate: { ratio: 4 },
        units_sold_trailing: 'int',
        revenue_trailing: 'money',
        units_per_day_trailing: { ratio: 4 },
        days_with_sales: 'int',
        days_since_last_sale: 'int',
        share_of_category_revenue: { ratio: 4 },
        revenue_rank_overall: 'int',
        revenue_rank_in_category: 'int',
        profit_rank_overall: 'int',
        units_rank_overall: 'int',
        units_rank_in_category: 'int',
        margin_rank_in_category: 'int',
        is_active: 'bool',
        has_sales: 'bool',
        is_slow_mover: 'bool',
        first_sold_date: 'date',
        last_sold_date: 'date',
      },
    );
    expect(summarize(problems)).toEqual([]);
  });

  it('product_summary: orders, buyers, revenue split, payment methods and ratios of every category', async () => {
    const payments: RawPayment[] = (
      await built.warehouse.rows('select order_id, payment_method from raw.payments')
    ).map((r) => ({ orderId: Number(r.order_id), method: String(r.payment_method) }));
    const expected = new Map<string, Expected>();
    for (const c of categorySummaries(raw, payments, asOf, startDate).values()) {
      expected.set(c.category, {
        category_id: c.categoryId,
        total_orders: c.totalOrders,
        unique_buyers: c.uniqueBuyers,
        total_units: c.totalUnits,
        total_revenue: c.totalRevenueCents,
        gross_profit: c.grossProfitCents,
        gross_margin_pct: c.grossMarginPct,
        avg_order_value: c.avgOrderValueCents,
        first_purchase_revenue: c.firstPurchaseRevenueCents,
        repeat_purchase_revenue: c.repeatPurchaseRevenueCents,
        first_purchase_orders: c.firstPurchaseOrders,
        credit_card_orders: c.ordersByMethod.credit_card,
        paypal_orders: c.ordersByMethod.paypal,
        bank_transfer_orders: c.ordersByMethod.bank_transfer,
        gift_card_orders: c.ordersByMethod.gift_card,
        unpaid_orders: c.unpaidOrders,
        revenue_per_order: c.revenuePerOrderCents,
        revenue_per_buyer: c.revenuePerBuyerCents,
        repeat_purchase_revenue_share: c.repeatPurchaseRevenueShare,
      });
    }
    expect(expected.size).toBe(5);
    const rows = await rowsOf('product_summary');
    const problems = compareRows('product_summary', rows, 'category_name', expected, {
      category_id: 'int',
      total_orders: 'int',
      unique_buyers: 'int',
      total_units: 'int',
      total_revenue: 'money',
      gross_profit: 'money',
      gross_margin_pct: { ratio: 2 },
      avg_order_value: 'money',
      first_purchase_revenue: 'money',
      repeat_purchase_revenue: 'money',
      first_purchase_orders: 'int',
      credit_card_orders: 'int',
      paypal_orders: 'int',
      bank_transfer_orders: 'int',
      gift_card_orders: 'int',
      unpaid_orders: 'int',
      revenue_per_order: 'money',
      revenue_per_buyer: 'money',
      repeat_purchase_revenue_share: { ratio: 4 },
    });
    expect(summarize(problems)).toEqual([]);
    const [run] = await built.warehouse.rows(
      'select count(distinct dbt_updated_at) as stamps, count(dbt_updated_at) as stamped from product_summary',
    );
    expect({ stamps: Number(run?.stamps), stamped: Number(run?.stamped) }).toEqual({ stamps: 1, stamped: 5 });
  });
});

describe('fulfilment', () => {
  it('fulfilment_times_by_category: orders, shipped and delivered counts and mean hours per month × category', async () => {
    const timings = new Map(
      (
        await built.warehouse.rows(
          `select id, date_diff('second', ordered_at, shipped_at) as to_ship, date_diff('second', shipped_at, delivered_at) as in_transit from raw.orders`,
        )
      ).map((r) => [
        Number(r.id),
        {
          toShip: r.to_ship === null ? null : Math.round((Number(r.to_ship) / 3600) * 100) / 100,
          inTransit: r.in_transit === null ? null : Math.round((Number(r.in_transit) / 3600) * 100) / 100,
        },
      ]),
    );
    const orders = new Map(raw.orders.map((o) => [o.id, o]));
    const categoryOf = new Map(raw.products.map((p) => [p.id, p.category]));
    const groups = new Map<string, Set<number>>();
    for (const item of raw.orderItems) {
      const order = orders.get(item.orderId);
      if (order === undefined || order.orderDate < startDate || order.orderDate > asOf) continue;
      const key = `${periodStart(order.orderDate, 'month')}|${categoryOf.get(item.productId)}`;
      groups.set(key, (groups.get(key) ?? new Set()).add(order.id));
    }
    const mean = (values: number[]) =>
      values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    const expected = new Map<string, Expected>();
    for (const [key, ids] of groups) {
      const shipped = [...ids].flatMap((id) => {
        const hours = timings.get(id)?.toShip;
        return hours === null || hours === undefined ? [] : [hours];
      });
      const delivered = [...ids].flatMap((id) => {
        const hours = timings.get(id)?.inTransit;
        return hours === null || hours === undefined ? [] : [hours];
      });
      expected.set(key, {
        order_count: ids.size,
        shipped_order_count: shipped.length,
        delivered_order_count: delivered.length,
        avg_hours_to_ship: mean(shipped),
        avg_hours_in_transit: mean(delivered),
      });
    }
    const problems = compareRows(
      'fulfilment_times_by_category',
      await rowsOf('fulfilment_times_by_category'),
      (row) => `${row.order_month}|${row.category_name}`,
      expected,
      {
        order_count: 'int',
        shipped_order_count: 'int',
        delivered_order_count: 'int',
        avg_hours_to_ship: { ratio: 2 },
        avg_hours_in_transit: { ratio: 2 },
      },
    );
    expect(summarize(problems)).toEqual([]);
  });
});

describe('product analyses', () => {
  /** An analysis' SQL as `shopsmart compile` renders it for this build's vars. */
  const compiledAnalysis = (name: string) => {
    const definition = defineProject({
      rootDir: tmpdir(),
      layers: [layer],
      // Never opened; its file stem is the database the SQL names, the same as the built warehouse's.
      warehousePath: join(tmpdir(), 'compile-only', 'wh.duckdb'),
      threads: 1,
      vars: { as_of_date: asOf, start_date: startDate },
    });
    const target = definition.targets.dev;
    if (target === undefined) throw new Error('defineProject() gave no dev target');
    return new SqlCompiler(buildManifest({ definition, target })).compile(`analysis.marts.${name}`);
  };

  it('product_sales_trends: the last 12 complete months per category with MoM and YoY growth in percent', async () => {
    const orders = new Map(raw.orders.map((o) => [o.id, o]));
    const categoryOf = new Map(raw.products.map((p) => [p.id, p.category]));
    const revenue = new Map<string, number>();
    let latest = '';
    for (const item of raw.orderItems) {
      const order = orders.get(item.orderId);
      if (order === undefined) continue;
      if (order.orderDate > latest) latest = order.orderDate;
      if (!orderStatus.isValid(order)) continue;
      const key = `${periodStart(order.orderDate, 'month')}|${categoryOf.get(item.productId)}`;
      revenue.set(key, (revenue.get(key) ?? 0) + item.lineTotalCents);
    }
    // The latest complete month: the latest order's month when it is the month's last day.
    const latestMonth = periodStart(latest, 'month');
    const lastMonth =
      nextPeriodStart(latestMonth, 'month') === addDays(latest, 1) ? latestMonth : previousMonth(latestMonth);
    const months: string[] = [];
    for (let m = lastMonth; months.length < 12; m = previousMonth(m)) months.unshift(m);
    const growth = (current: number, base: number | undefined) =>
      base === undefined || base === 0 ? null : ((current - base) * 100) / base;
    const expected = new Map<string, Expected>();
    for (const month of months)
      for (const category of new Set(raw.products.map((p) => p.category))) {
        const cents = revenue.get(`${month}|${category}`) ?? 0;
        expected.set(`${month}|${category}`, {
          revenue: cents,
          mom_growth_pct: growth(cents, revenue.get(`${previousMonth(month)}|${category}`)),
          yoy_growth_pct: growth(cents, revenue.get(`${oneYearEarlier(month)}|${category}`)),
        });
      }
    const rows = await built.warehouse.rows(compiledAnalysis('product_sales_trends'));
    const problems = compareRows(
      'product_sales_trends',
      rows,
      (row) => `${row.month_start_date}|${row.category_name}`,
      expected,
      { revenue: 'money', mom_growth_pct: { ratio: 2 }, yoy_growth_pct: { ratio: 2 } },
    );
    expect(summarize(problems)).toEqual([]);
  });

  it('product_profitability: runs and lists the most and least profitable products of every category', async () => {
    const rows = await built.warehouse.rows(compiledAnalysis('product_profitability'));
    expect(new Set(rows.map((r) => r.category_name)).size).toBe(5);
    expect(new Set(rows.map((r) => r.profitability_group))).toEqual(
      new Set(['most profitable', 'least profitable']),
    );
  });
});

/** First day of the month before the month starting on `monthStart`. */
function previousMonth(monthStart: string): string {
  return periodStart(addDays(monthStart, -1), 'month');
}
