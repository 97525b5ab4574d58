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
  type RawWarehouse,
} from '../../../intermediate/test/support/raw-tables-reader.js';

/** One period of orders_daily / orders_weekly / orders_monthly (money in cents, growth unrounded). */
export interface SeriesPeriod {
  start: string;
  end: string;
  dateKey: number;
  daysCovered: number;
  isPartial: boolean;
  orderCount: number;
  validOrderCount: number;
  completedOrderCount: number;
  cancelledOrderCount: number;
  returnedOrderCount: number;
  customerCount: number;
  newCustomerCount: number;
  unitsSold: number;
  revenueCents: number;
  completedRevenueCents: number;
  discountCents: number;
  averageOrderValueCents: number | null;
  ytdRevenueCents: number;
  ytdValidOrderCount: number;
  previousPeriodRevenueCents: number | null;
  revenueGrowthRate: number | null;
  orderGrowthRate: number | null;
  lastYearRevenueCents: number | null;
  revenueYoyGrowthRate: number | null;
  orderYoyGrowthRate: number | null;
}

const growth = (current: number, previous: number | null | undefined) =>
  previous === null || previous === undefined || previous === 0 ? null : (current - previous) / previous;

/**
 * Every period from the one holding the first order to the one holding the as-of date — zero-sale
 * periods included — keyed by period start. Revenue is valid orders' totals; a customer is new in
 * the period of their first order; a year ago is 364 days for weeks, the calendar date otherwise.
 */
export function ordersSeries(raw: RawWarehouse, asOf: string, grain: Grain): Map<string, SeriesPeriod> {
  const orders = raw.orders.filter((o) => o.orderDate <= asOf);
  const items = itemsByOrder(raw);
  const firstOrderDate = earliestDate(orders.map((o) => o.orderDate)) ?? asOf;
  const firstOrderOf = new Map<number, string>();
  for (const o of orders) {
    const seen = firstOrderOf.get(o.customerId);
    if (seen === undefined || o.orderDate < seen) firstOrderOf.set(o.customerId, o.orderDate);
  }
  const byPeriod = new Map<string, RawOrder[]>();
  for (const o of orders) {
    const start = periodStart(o.orderDate, grain);
    const inPeriod = byPeriod.get(start) ?? [];
    inPeriod.push(o);
    byPeriod.set(start, inPeriod);
  }

  const series = new Map<string, SeriesPeriod>();
  let previous: SeriesPeriod | undefined;
  for (let start = periodStart(firstOrderDate, grain); start <= asOf; start = nextPeriodStart(start, grain)) {
    const next = nextPeriodStart(start, grain);
    const end = addDays(next, -1);
    const coveredFrom = latestDate([start, firstOrderDate]) as string;
    const coveredTo = earliestDate([end, asOf]) as string;
    const mine = byPeriod.get(start) ?? [];
    const valid = mine.filter(orderStatus.isValid);
    const validItems = valid.flatMap((o) => items.get(o.id) ?? []);
    const revenueCents = valid.reduce((sum, o) => sum + o.totalCents, 0);
    const sameYear = previous !== undefined && previous.start.slice(0, 4) === start.slice(0, 4);
    const period: SeriesPeriod = {
      start,
      end,
      dateKey: dateKey(start),
      daysCovered: daysBetween(coveredFrom, coveredTo) + 1,
      isPartial: daysBetween(coveredFrom, coveredTo) + 1 < daysBetween(start, next),
      orderCount: mine.length,
      validOrderCount: valid.length,
      completedOrderCount: mine.filter(orderStatus.isCompleted).length,
      cancelledOrderCount: mine.filter(orderStatus.isCancelled).length,
      returnedOrderCount: mine.filter(orderStatus.isReturned).length,
      customerCount: new Set(valid.map((o) => o.customerId)).size,
      newCustomerCount: [...firstOrderOf.values()].filter((d) => periodStart(d, grain) === start).length,
      unitsSold: validItems.reduce((sum, i) => sum + i.quantity, 0),
      revenueCents,
      completedRevenueCents: mine.filter(orderStatus.isCompleted).reduce((sum, o) => sum + o.totalCents, 0),
      discountCents: validItems.reduce((sum, i) => sum + i.discountCents, 0),
      averageOrderValueCents: valid.length === 0 ? null : divideRounded(revenueCents, valid.length),
      ytdRevenueCents: (sameYear ? (previous?.ytdRevenueCents ?? 0) : 0) + revenueCents,
      ytdValidOrderCount: (sameYear ? (previous?.ytdValidOrderCount ?? 0) : 0) + valid.length,
      previousPeriodRevenueCents: previous?.revenueCents ?? null,
      revenueGrowthRate: growth(revenueCents, previous?.revenueCents),
      orderGrowthRate: growth(valid.length, previous?.validOrderCount),
      lastYearRevenueCents: null,
      revenueYoyGrowthRate: null,
      orderYoyGrowthRate: null,
    };
    series.set(start, period);
    previous = period;
  }
  for (const period of series.values()) {
    const lastYear = series.get(
      grain === 'week' ? addDays(period.start, -364) : oneYearEarlier(period.start),
    );
    period.lastYearRevenueCents = lastYear?.revenueCents ?? null;
    period.revenueYoyGrowthRate = growth(period.revenueCents, lastYear?.revenueCents);
    period.orderYoyGrowthRate = growth(period.validOrderCount, lastYear?.validOrderCount);
  }
  return series;
}
