import { divideRounded } from '../../../intermediate/test/support/money.js';
import { orderStatus, type RawWarehouse } from '../../../intermediate/test/support/raw-tables-reader.js';

/** A raw payment: which order, paid how. */
export interface RawPayment {
  orderId: number;
  method: string;
}

/** One category of product_summary (money in cents, ratios unrounded). */
export interface CategorySummary {
  categoryId: number;
  category: string;
  totalOrders: number;
  uniqueBuyers: number;
  totalUnits: number;
  totalRevenueCents: number;
  grossProfitCents: number;
  grossMarginPct: number | null;
  avgOrderValueCents: number | null;
  firstPurchaseRevenueCents: number;
  repeatPurchaseRevenueCents: number;
  firstPurchaseOrders: number;
  ordersByMethod: Record<'credit_card' | 'paypal' | 'bank_transfer' | 'gift_card', number>;
  unpaidOrders: number;
  revenuePerOrderCents: number | null;
  revenuePerBuyerCents: number | null;
  repeatPurchaseRevenueShare: number | null;
}

/**
 * Per category name, what product_summary should say over the valid orders placed from `startDate`
 * to `asOf`: a product counts under its current category; a first purchase is the customer's first
 * valid order ever (earliest placed, then lowest id); cost is quantity × current unit cost.
 */
export function categorySummaries(
  raw: RawWarehouse,
  payments: RawPayment[],
  asOf: string,
  startDate: string,
): Map<string, CategorySummary> {
  const products = new Map(raw.products.map((p) => [p.id, p]));
  const orders = new Map(raw.orders.map((o) => [o.id, o]));
  const firstPurchaseOf = new Map<number, { id: number; at: number }>();
  for (const o of raw.orders.filter(orderStatus.isValid)) {
    const seen = firstPurchaseOf.get(o.customerId);
    if (seen === undefined || o.orderedAtUs < seen.at || (o.orderedAtUs === seen.at && o.id < seen.id))
      firstPurchaseOf.set(o.customerId, { id: o.id, at: o.orderedAtUs });
  }
  const firstPurchases = new Set([...firstPurchaseOf.values()].map((f) => f.id));
  const methodsOf = new Map<number, Set<string>>();
  for (const p of payments) methodsOf.set(p.orderId, (methodsOf.get(p.orderId) ?? new Set()).add(p.method));

  const lines = raw.orderItems.flatMap((item) => {
    const order = orders.get(item.orderId);
    const product = products.get(item.productId);
    if (order === undefined || product === undefined || !orderStatus.isValid(order)) return [];
    if (order.orderDate < startDate || order.orderDate > asOf) return [];
    return [{ item, order, product }];
  });
  const orderRevenue = new Map<number, number>();
  for (const { item, order } of lines)
    orderRevenue.set(order.id, (orderRevenue.get(order.id) ?? 0) + item.lineTotalCents);

  const result = new Map<string, CategorySummary>();
  for (const category of new Map(raw.categories.map((c) => [c.categoryName, c.categoryId]))) {
    const [name, categoryId] = category;
    const mine = lines.filter(({ product }) => product.category === name);
    const orderIds = new Set(mine.map(({ order }) => order.id));
    const buyers = new Set(mine.map(({ order }) => order.customerId));
    const revenue = mine.reduce((sum, { item }) => sum + item.lineTotalCents, 0);
    const cost = mine.reduce((sum, { item, product }) => sum + item.quantity * product.unitCostCents, 0);
    const firstRevenue = mine
      .filter(({ order }) => firstPurchases.has(order.id))
      .reduce((sum, { item }) => sum + item.lineTotalCents, 0);
    const basket = [...orderIds].reduce((sum, id) => sum + (orderRevenue.get(id) ?? 0), 0);
    const paidWith = (method: string) => [...orderIds].filter((id) => methodsOf.get(id)?.has(method)).length;
    result.set(name, {
      categoryId,
      category: name,
      totalOrders: orderIds.size,
      uniqueBuyers: buyers.size,
      totalUnits: mine.reduce((sum, { item }) => sum + item.quantity, 0),
      totalRevenueCents: revenue,
      grossProfitCents: revenue - cost,
      grossMarginPct: revenue === 0 ? null : ((revenue - cost) * 100) / revenue,
      avgOrderValueCents: orderIds.size === 0 ? null : divideRounded(basket, orderIds.size),
      firstPurchaseRevenueCents: firstRevenue,
      repeatPurchaseRevenueCents: revenue - firstRevenue,
      firstPurchaseOrders: [...orderIds].filter((id) => firstPurchases.has(id)).length,
      ordersByMethod: {
        credit_card: paidWith('credit_card'),
        paypal: paidWith('paypal'),
        bank_transfer: paidWith('bank_transfer'),
        gift_card: paidWith('gift_card'),
      },
      unpaidOrders: [...orderIds].filter((id) => !methodsOf.has(id)).length,
      revenuePerOrderCents: orderIds.size === 0 ? null : divideRounded(revenue, orderIds.size),
      revenuePerBuyerCents: buyers.size === 0 ? null : divideRounded(revenue, buyers.size),
      repeatPurchaseRevenueShare: revenue === 0 ? null : (revenue - firstRevenue) / revenue,
    });
  }
  return result;
}
