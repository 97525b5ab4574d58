import {
  orderStatus,
  type RawOrder,
  type RawOrderItem,
  type RawWarehouse,
} from '../support/raw-tables-reader.js';
import { orderHistory } from './order-history-reference.js';

/** One day with orders, as int_orders_aggregated_by_day should hold it (money in cents). */
export interface OrderDay {
  orderCount: number;
  validOrderCount: number;
  completedOrderCount: number;
  cancelledOrderCount: number;
  returnedOrderCount: number;
  customerCount: number;
  newCustomerCount: number;
  unitsSold: number;
  /** Net merchandise revenue: line totals of valid orders. */
  revenueCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  /** Order totals of valid orders. */
  grossOrderValueCents: number;
  /** Quantity × the product's current unit cost, valid orders. */
  costCents: number;
  /** Line totals of delivered orders. */
  completedRevenueCents: number;
}

/** One product on one day with an order line of any status: valid-order sales, units by status. */
export interface ProductDay {
  productId: number;
  orderDate: string;
  category: string;
  orderCount: number;
  ordersWithDiscount: number;
  unitsSold: number;
  unitsDelivered: number;
  unitsReturned: number;
  unitsCancelled: number;
  revenueCents: number;
  discountCents: number;
  costCents: number;
}

/** Order lines joined to their order (and dropped when the order is unknown), keyed by order id. */
export function itemsByOrder(raw: RawWarehouse): Map<number, RawOrderItem[]> {
  const byOrder = new Map<number, RawOrderItem[]>();
  for (const item of raw.orderItems) {
    const items = byOrder.get(item.orderId) ?? [];
    items.push(item);
    byOrder.set(item.orderId, items);
  }
  return byOrder;
}

/** Per order date (only days with orders). */
export function ordersByDay(raw: RawWarehouse): Map<string, OrderDay> {
  const history = orderHistory(raw);
  const items = itemsByOrder(raw);
  const unitCost = new Map(raw.products.map((p) => [p.id, p.unitCostCents]));
  const days = new Map<string, { orders: RawOrder[] }>();
  for (const order of raw.orders) {
    const day = days.get(order.orderDate) ?? { orders: [] };
    day.orders.push(order);
    days.set(order.orderDate, day);
  }
  const result = new Map<string, OrderDay>();
  for (const [date, { orders }] of days) {
    const valid = orders.filter(orderStatus.isValid);
    const validItems = valid.flatMap((o) => items.get(o.id) ?? []);
    const completedItems = orders.filter(orderStatus.isCompleted).flatMap((o) => items.get(o.id) ?? []);
    const sum = (list: RawOrder[], cents: (o: RawOrder) => number) => list.reduce((s, o) => s + cents(o), 0);
    const lineSum = (list: RawOrderItem[]) => list.reduce((s, i) => s + i.lineTotalCents, 0);
    result.set(date, {
      orderCount: orders.length,
      validOrderCount: valid.length,
      completedOrderCount: orders.filter(orderStatus.isCompleted).length,
      cancelledOrderCount: orders.filter(orderStatus.isCancelled).length,
      returnedOrderCount: orders.filter(orderStatus.isReturned).length,
      customerCount: new Set(valid.map((o) => o.customerId)).size,
      newCustomerCount: orders.filter((o) => history.get(o.id)?.customerOrderNumber === 1).length,
      unitsSold: validItems.reduce((s, i) => s + i.quantity, 0),
      revenueCents: lineSum(validItems),
      discountCents: validItems.reduce((s, i) => s + i.discountCents, 0),
      shippingCents: sum(valid, (o) => o.shippingCents),
      taxCents: sum(valid, (o) => o.taxCents),
      grossOrderValueCents: sum(valid, (o) => o.totalCents),
      costCents: validItems.reduce((s, i) => s + i.quantity * (unitCost.get(i.productId) ?? 0), 0),
      completedRevenueCents: lineSum(completedItems),
    });
  }
  return result;
}

/** Per `<product_id>|<order_date>` with any line: valid-order sales, cost at the product's current unit cost. */
export function productSalesByDay(raw: RawWarehouse): Map<string, ProductDay> {
  const orders = new Map(raw.orders.map((o) => [o.id, o]));
  const products = new Map(raw.products.map((p) => [p.id, p]));
  const days = new Map<string, ProductDay & { orderIds: Set<number>; discountedOrderIds: Set<number> }>();
  for (const item of raw.orderItems) {
    const order = orders.get(item.orderId);
    const product = products.get(item.productId);
    if (order === undefined || product === undefined) continue;
    const key = `${item.productId}|${order.orderDate}`;
    const day = days.get(key) ?? {
      productId: item.productId,
      orderDate: order.orderDate,
      category: product.category,
      orderCount: 0,
      ordersWithDiscount: 0,
      unitsSold: 0,
      unitsDelivered: 0,
      unitsReturned: 0,
      unitsCancelled: 0,
      revenueCents: 0,
      discountCents: 0,
      costCents: 0,
      orderIds: new Set<number>(),
      discountedOrderIds: new Set<number>(),
    };
    days.set(key, day);
    if (orderStatus.isCompleted(order)) day.unitsDelivered += item.quantity;
    if (orderStatus.isReturned(order)) day.unitsReturned += item.quantity;
    if (orderStatus.isCancelled(order)) day.unitsCancelled += item.quantity;
    if (!orderStatus.isValid(order)) continue;
    day.orderIds.add(order.id);
    if (item.discountCents > 0) day.discountedOrderIds.add(order.id);
    day.orderCount = day.orderIds.size;
    day.ordersWithDiscount = day.discountedOrderIds.size;
    day.unitsSold += item.quantity;
    day.revenueCents += item.lineTotalCents;
    day.discountCents += item.discountCents;
    day.costCents += item.quantity * product.unitCostCents;
  }
  return new Map([...days].map(([key, { orderIds: _, discountedOrderIds: __, ...day }]) => [key, day]));
}
