import { itemsByOrder } from '../../../intermediate/test/reference/sales-by-day-reference.js';
import {
  addDays,
  dateKey,
  daysBetween,
  earliestDate,
  type Grain,
  latestDate,
  nextPeriodStart,
  oneYearEarlier,
  periodStart,
} from '../../../intermediate/test/support/calendar.js';
import { divideRounded } from '../../../intermediate/test/support/money.js';
import {
  orderStatus,
  type RawOrder,
  type RawOrderItem,
  type RawWarehouse,
} from '../../../intermediate/test/support/raw-tables-reader.js';

/** One period of orders_daily / orders_weekly / orders_monthly (money in cents, growth unrounded, in percent). */
export interface SeriesPeriod {
  start: string;
  end: string;
  dateKey: number;
  daysCovered: number;
  isComplete: boolean;
  year: number;
  orderCount: number;
  totalOrders: number;
  completedOrderCount: number;
  cancelledOrderCount: number;
  returnedOrderCount: number;
  uniqueCustomers: number;
  newCustomerCount: number;
  totalUnits: number;
  /** Net merchandise revenue: line totals of valid orders. */
  totalRevenueCents: number;
  /** Order totals of valid orders. */
  grossOrderValueCents: number;
  costCents: number;
  grossProfitCents: number;
  /** Line totals of delivered orders. */
  completedRevenueCents: number;
  discountCents: number;
  averageOrderValueCents: number | null;
  ytdRevenueCents: number;
  ytdOrders: number;
  previousPeriodRevenueCents: number | null;
  growthPct: number | null;
  ordersGrowthPct: number | null;
  lastYearRevenueCents: number | null;
  yoyGrowthPct: number | null;
  ordersYoyGrowthPct: number | null;
}

const growthPct = (current: number, previous: number | null | undefined, comparable: boolean) =>
  !comparable || previous === null || previous === undefined || previous === 0
    ? null
    : ((current - previous) * 100) / previous;

/** The series' first day: the later of the start_date var and the first order date (any order). */
export function seriesFirstDay(raw: RawWarehouse, startDate: string): string {
  return latestDate([startDate, earliestDate(raw.orders.map((o) => o.orderDate)) ?? startDate]) as string;
}

/** ISO 8601 week-numbering year and week (1–53) of a date. */
export function isoWeek(date: string): { isoYear: number; week: number } {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = addDays(date, 3 - weekday);
  const isoYear = Number(thursday.slice(0, 4));
  return { isoYear, week: Math.floor(daysBetween(`${isoYear}-01-01`, thursday) / 7) + 1 };
}

/**
 * Every period from the one holding the series' first day (the later of `startDate` and the first
 * order date) to the one holding the as-of date — zero-sale periods included — keyed by period
 * start. Revenue is net merchandise revenue (valid orders' line totals); cost is quantity × the
 * product's current unit cost; a customer is new in the period of their first-ever order; a year
 * ago is 364 days for weeks, the calendar date otherwise. Year-to-date is calendar YTD read on the
 * period's last covered day inside the calendar year of its start; growth is null unless both
 * periods are complete.
 */
export function ordersSeries(
  raw: RawWarehouse,
  asOf: string,
  grain: Grain,
  startDate: string,
): Map<string, SeriesPeriod> {
  const firstDay = seriesFirstDay(raw, startDate);
  const orders = raw.orders.filter((o) => o.orderDate >= firstDay && o.orderDate <= asOf);
  const items = itemsByOrder(raw);
  const unitCost = new Map(raw.products.map((p) => [p.id, p.unitCostCents]));
  const firstOrderOf = new Map<number, string>();
  for (const o of raw.orders) {
    const seen = firstOrderOf.get(o.customerId);
    if (seen === undefined || o.orderDate < seen) firstOrderOf.set(o.customerId, o.orderDate);
  }
  const byPeriod = new Map<string, RawOrder[]>();
  const validByDay = new Map<string, RawOrder[]>();
  for (const o of orders) {
    const start = periodStart(o.orderDate, grain);
    byPeriod.set(start, [...(byPeriod.get(start) ?? []), o]);
    if (orderStatus.isValid(o)) validByDay.set(o.orderDate, [...(validByDay.get(o.orderDate) ?? []), o]);
  }
  const lineTotal = (list: RawOrderItem[]) => list.reduce((sum, i) => sum + i.lineTotalCents, 0);
  const linesOf = (list: RawOrder[]) => list.flatMap((o) => items.get(o.id) ?? []);

  // Calendar year-to-date on every day of the series.
  const dailyYtd = new Map<string, { revenue: number; orders: number }>();
  let running = { revenue: 0, orders: 0 };
  for (let day = firstDay; day <= asOf; day = addDays(day, 1)) {
    if (day.endsWith('-01-01')) running = { revenue: 0, orders: 0 };
    const valid = validByDay.get(day) ?? [];
    running = { revenue: running.revenue + lineTotal(linesOf(valid)), orders: running.orders + valid.length };
    dailyYtd.set(day, running);
  }

  const series = new Map<string, SeriesPeriod>();
  let previous: SeriesPeriod | undefined;
  for (let start = periodStart(firstDay, grain); start <= asOf; start = nextPeriodStart(start, grain)) {
    const next = nextPeriodStart(start, grain);
    const end = addDays(next, -1);
    const coveredFrom = latestDate([start, firstDay]) as string;
    const coveredTo = earliestDate([end, asOf]) as string;
    const mine = byPeriod.get(start) ?? [];
    const valid = mine.filter(orderStatus.isValid);
    const validItems = linesOf(valid);
    const totalRevenueCents = lineTotal(validItems);
    const costCents = validItems.reduce((sum, i) => sum + i.quantity * (unitCost.get(i.productId) ?? 0), 0);
    const daysCovered = daysBetween(coveredFrom, coveredTo) + 1;
    const isComplete = daysCovered === daysBetween(start, next);
    const ytd = dailyYtd.get(earliestDate([coveredTo, `${start.slice(0, 4)}-12-31`]) as string);
    const period: SeriesPeriod = {
      start,
      end,
      dateKey: dateKey(start),
      daysCovered,
      isComplete,
      year: Number(start.slice(0, 4)),
      orderCount: mine.length,
      totalOrders: valid.length,
      completedOrderCount: mine.filter(orderStatus.isCompleted).length,
      cancelledOrderCount: mine.filter(orderStatus.isCancelled).length,
      returnedOrderCount: mine.filter(orderStatus.isReturned).length,
      uniqueCustomers: new Set(valid.map((o) => o.customerId)).size,
      newCustomerCount: [...firstOrderOf.values()].filter(
        (d) => d >= firstDay && d <= asOf && periodStart(d, grain) === start,
      ).length,
      totalUnits: validItems.reduce((sum, i) => sum + i.quantity, 0),
      totalRevenueCents,
      grossOrderValueCents: valid.reduce((sum, o) => sum + o.totalCents, 0),
      costCents,
      grossProfitCents: totalRevenueCents - costCents,
      completedRevenueCents: lineTotal(linesOf(mine.filter(orderStatus.isCompleted))),
      discountCents: validItems.reduce((sum, i) => sum + i.discountCents, 0),
      averageOrderValueCents: valid.length === 0 ? null : divideRounded(totalRevenueCents, valid.length),
      ytdRevenueCents: ytd?.revenue ?? 0,
      ytdOrders: ytd?.orders ?? 0,
      previousPeriodRevenueCents: previous?.totalRevenueCents ?? null,
      growthPct: growthPct(
        totalRevenueCents,
        previous?.totalRevenueCents,
        isComplete && !!previous?.isComplete,
      ),
      ordersGrowthPct: growthPct(valid.length, previous?.totalOrders, isComplete && !!previous?.isComplete),
      lastYearRevenueCents: null,
      yoyGrowthPct: null,
      ordersYoyGrowthPct: null,
    };
    series.set(start, period);
    previous = period;
  }
  for (const period of series.values()) {
    const lastYear = series.get(
      grain === 'week' ? addDays(period.start, -364) : oneYearEarlier(period.start),
    );
    const comparable = period.isComplete && !!lastYear?.isComplete;
    period.lastYearRevenueCents = lastYear?.totalRevenueCents ?? null;
    period.yoyGrowthPct = growthPct(period.totalRevenueCents, lastYear?.totalRevenueCents, comparable);
    period.ordersYoyGrowthPct = growthPct(period.totalOrders, lastYear?.totalOrders, comparable);
  }
  return series;
}
