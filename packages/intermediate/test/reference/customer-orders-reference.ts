import { daysBetween, earliestDate, latestDate } from '../support/calendar.js';
import { divideRounded } from '../support/money.js';
import { orderStatus, type RawWarehouse } from '../support/raw-tables-reader.js';
import { ordersByCustomer } from './order-history-reference.js';

/** What a customer's orders add up to, for every customer (zeros and nulls when they never ordered). */
export interface CustomerOrderFacts {
  customerId: number;
  signupDate: string;
  orderCount: number;
  validOrderCount: number;
  completedOrderCount: number;
  cancelledOrderCount: number;
  returnedOrderCount: number;
  /** Delivered order totals: an all-returned customer has 0. */
  lifetimeValueCents: number;
  validOrderTotalCents: number;
  averageOrderValueCents: number | null;
  firstOrderDate: string | null;
  lastOrderDate: string | null;
  lastCompletedOrderDate: string | null;
  daysSinceSignup: number;
  daysSinceFirstOrder: number | null;
  daysSinceLastOrder: number | null;
  daysSinceLastCompletedOrder: number | null;
}

const since = (date: string | null, asOf: string) => (date === null ? null : daysBetween(date, asOf));

/** Per customer id, everything `int_orders_aggregated_by_customer` and `customer_analytics` derive from orders. */
export function customerOrderFacts(raw: RawWarehouse, asOf: string): Map<number, CustomerOrderFacts> {
  const orders = ordersByCustomer(raw);
  const facts = new Map<number, CustomerOrderFacts>();
  for (const customer of raw.customers) {
    const mine = orders.get(customer.id) ?? [];
    const completed = mine.filter(orderStatus.isCompleted);
    const valid = mine.filter(orderStatus.isValid);
    const lifetimeValueCents = completed.reduce((sum, o) => sum + o.totalCents, 0);
    const firstOrderDate = earliestDate(mine.map((o) => o.orderDate));
    const lastOrderDate = latestDate(mine.map((o) => o.orderDate));
    const lastCompletedOrderDate = latestDate(completed.map((o) => o.orderDate));
    facts.set(customer.id, {
      customerId: customer.id,
      signupDate: customer.signupDate,
      orderCount: mine.length,
      validOrderCount: valid.length,
      completedOrderCount: completed.length,
      cancelledOrderCount: mine.filter(orderStatus.isCancelled).length,
      returnedOrderCount: mine.filter(orderStatus.isReturned).length,
      lifetimeValueCents,
      validOrderTotalCents: valid.reduce((sum, o) => sum + o.totalCents, 0),
      averageOrderValueCents:
        completed.length === 0 ? null : divideRounded(lifetimeValueCents, completed.length),
      firstOrderDate,
      lastOrderDate,
      lastCompletedOrderDate,
      daysSinceSignup: daysBetween(customer.signupDate, asOf),
      daysSinceFirstOrder: since(firstOrderDate, asOf),
      daysSinceLastOrder: since(lastOrderDate, asOf),
      daysSinceLastCompletedOrder: since(lastCompletedOrderDate, asOf),
    });
  }
  return facts;
}
