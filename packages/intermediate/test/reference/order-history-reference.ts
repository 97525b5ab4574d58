import { daysBetween, earliestDate } from '../support/calendar.js';
import { orderStatus, type RawOrder, type RawWarehouse } from '../support/raw-tables-reader.js';

/** One order in its customer's sequence, as int_customer_order_history should hold it. */
export interface OrderInHistory {
  order: RawOrder;
  customerOrderNumber: number;
  completedOrderNumber: number | null;
  runningCompletedOrderCount: number;
  runningCompletedRevenueCents: number;
  daysSincePreviousOrder: number | null;
  daysSinceFirstOrder: number;
  monthsSinceFirstOrder: number;
  firstOrderDate: string;
}

/** Each customer's orders in the order they were placed (ties broken by order id). */
export function ordersByCustomer(raw: RawWarehouse): Map<number, RawOrder[]> {
  const byCustomer = new Map<number, RawOrder[]>();
  for (const order of raw.orders) {
    const orders = byCustomer.get(order.customerId) ?? [];
    orders.push(order);
    byCustomer.set(order.customerId, orders);
  }
  for (const orders of byCustomer.values())
    orders.sort((a, b) => a.orderedAtUs - b.orderedAtUs || a.id - b.id);
  return byCustomer;
}

const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));

/** Every order with its place in the customer's history, keyed by order id. */
export function orderHistory(raw: RawWarehouse): Map<number, OrderInHistory> {
  const history = new Map<number, OrderInHistory>();
  for (const orders of ordersByCustomer(raw).values()) {
    const firstOrderDate = earliestDate(orders.map((o) => o.orderDate)) as string;
    let completed = 0;
    let completedRevenue = 0;
    orders.forEach((order, index) => {
      if (orderStatus.isCompleted(order)) {
        completed += 1;
        completedRevenue += order.totalCents;
      }
      const previous = orders[index - 1];
      history.set(order.id, {
        order,
        customerOrderNumber: index + 1,
        completedOrderNumber: orderStatus.isCompleted(order) ? completed : null,
        runningCompletedOrderCount: completed,
        runningCompletedRevenueCents: completedRevenue,
        daysSincePreviousOrder:
          previous === undefined ? null : daysBetween(previous.orderDate, order.orderDate),
        daysSinceFirstOrder: daysBetween(firstOrderDate, order.orderDate),
        monthsSinceFirstOrder: monthIndex(order.orderDate) - monthIndex(firstOrderDate),
        firstOrderDate,
      });
    });
  }
  return history;
}
