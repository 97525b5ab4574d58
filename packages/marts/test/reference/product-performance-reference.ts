import { addDays, daysBetween } from '../../../intermediate/test/support/calendar.js';
import { divideRounded } from '../../../intermediate/test/support/money.js';
import {
  orderStatus,
  type RawOrder,
  type RawOrderItem,
  type RawWarehouse,
} from '../../../intermediate/test/support/raw-tables-reader.js';

/** marts/dbt_project.yml vars, as the README defines them. */
export const productRules = { slowMoverWindowDays: 90, slowMoverMaxUnits: 3 } as const;

/** One product's performance: valid-order sales (money in cents), returns, velocity and ranks. */
export interface ProductAnswer {
  productId: number;
  category: string;
  categoryId: number | null;
  isActive: boolean;
  orderCount: number;
  ordersWithDiscount: number;
  unitsSold: number;
  unitsDelivered: number;
  unitsReturned: number;
  unitsCancelled: number;
  revenueCents: number;
  discountCents: number;
  costCents: number;
  profitCents: number;
  /** profit / revenue × 100, unrounded; null without revenue. */
  marginPct: number | null;
  averageSellingPriceCents: number | null;
  returnRate: number | null;
  unitsSoldTrailing: number;
  revenueTrailingCents: number;
  daysWithSales: number;
  firstSoldDate: string | null;
  lastSoldDate: string | null;
  daysSinceLastSale: number | null;
  shareOfCategoryRevenue: number | null;
  revenueRankOverall: number;
  revenueRankInCategory: number;
  profitRankOverall: number;
  unitsRankOverall: number;
  unitsRankInCategory: number;
  marginRankInCategory: number;
  isSlowMover: boolean;
}

interface Line {
  item: RawOrderItem;
  order: RawOrder;
}

/** SQL rank(): 1 + how many score strictly higher. */
const rankDescending = (value: number, all: number[]) => 1 + all.filter((other) => other > value).length;

/** SQL rank() ordering nulls last: nulls share the rank after every non-null value. */
const rankDescendingNullsLast = (value: number | null, all: (number | null)[]) => {
  const present = all.filter((other): other is number => other !== null);
  return value === null ? present.length + 1 : rankDescending(value, present);
};

/**
 * Per product id, what product_performance should say over the orders placed from `startDate` to
 * `asOf`. Cost is quantity × the product's current unit cost.
 */
export function productAnswers(
  raw: RawWarehouse,
  asOf: string,
  startDate: string,
): Map<number, ProductAnswer> {
  const orders = new Map(raw.orders.map((o) => [o.id, o]));
  const categoryIds = new Map(raw.categories.map((c) => [c.categoryName, c.categoryId]));
  const windowStart = addDays(asOf, -productRules.slowMoverWindowDays); // exclusive
  const linesByProduct = new Map<number, Line[]>();
  for (const item of raw.orderItems) {
    const order = orders.get(item.orderId);
    if (order === undefined || order.orderDate < startDate || order.orderDate > asOf) continue;
    const lines = linesByProduct.get(item.productId) ?? [];
    lines.push({ item, order });
    linesByProduct.set(item.productId, lines);
  }
  const answers = new Map<number, ProductAnswer>();
  for (const product of raw.products) {
    const lines = linesByProduct.get(product.id) ?? [];
    const valid = lines.filter(({ order }) => orderStatus.isValid(order));
    const units = (list: Line[]) => list.reduce((sum, { item }) => sum + item.quantity, 0);
    const revenueCents = valid.reduce((sum, { item }) => sum + item.lineTotalCents, 0);
    const costCents = valid.reduce((sum, { item }) => sum + item.quantity * product.unitCostCents, 0);
    const unitsSold = units(valid);
    const unitsDelivered = units(lines.filter(({ order }) => orderStatus.isCompleted(order)));
    const unitsReturned = units(lines.filter(({ order }) => orderStatus.isReturned(order)));
    const trailing = valid.filter(({ order }) => order.orderDate > windowStart && order.orderDate <= asOf);
    const saleDates = [...new Set(valid.map(({ order }) => order.orderDate))].sort();
    const lastSoldDate = saleDates.at(-1) ?? null;
    answers.set(product.id, {
      productId: product.id,
      category: product.category,
      categoryId: categoryIds.get(product.category) ?? null,
      isActive: product.isActive,
      orderCount: new Set(valid.map(({ order }) => order.id)).size,
      ordersWithDiscount: new Set(
        valid.filter(({ item }) => item.discountCents > 0).map(({ order }) => order.id),
      ).size,
      unitsSold,
      unitsDelivered,
      unitsReturned,
      unitsCancelled: units(lines.filter(({ order }) => orderStatus.isCancelled(order))),
      revenueCents,
      discountCents: valid.reduce((sum, { item }) => sum + item.discountCents, 0),
      costCents,
      profitCents: revenueCents - costCents,
      marginPct: revenueCents === 0 ? null : (100 * (revenueCents - costCents)) / revenueCents,
      averageSellingPriceCents: unitsSold === 0 ? null : divideRounded(revenueCents, unitsSold),
      returnRate:
        unitsDelivered + unitsReturned === 0 ? null : unitsReturned / (unitsDelivered + unitsReturned),
      unitsSoldTrailing: units(trailing),
      revenueTrailingCents: trailing.reduce((sum, { item }) => sum + item.lineTotalCents, 0),
      daysWithSales: saleDates.length,
      firstSoldDate: saleDates[0] ?? null,
      lastSoldDate,
      daysSinceLastSale: lastSoldDate === null ? null : daysBetween(lastSoldDate, asOf),
      shareOfCategoryRevenue: null,
      revenueRankOverall: 0,
      revenueRankInCategory: 0,
      profitRankOverall: 0,
      unitsRankOverall: 0,
      unitsRankInCategory: 0,
      marginRankInCategory: 0,
      isSlowMover: product.isActive && units(trailing) < productRules.slowMoverMaxUnits,
    });
  }
  const all = [...answers.values()];
  for (const p of all) {
    const category = all.filter((other) => other.category === p.category);
    const categoryRevenue = category.reduce((sum, other) => sum + other.revenueCents, 0);
    p.shareOfCategoryRevenue = categoryRevenue === 0 ? null : p.revenueCents / categoryRevenue;
    p.revenueRankOverall = rankDescending(
      p.revenueCents,
      all.map((o) => o.revenueCents),
    );
    p.revenueRankInCategory = rankDescending(
      p.revenueCents,
      category.map((o) => o.revenueCents),
    );
    p.profitRankOverall = rankDescending(
      p.profitCents,
      all.map((o) => o.profitCents),
    );
    p.unitsRankOverall = rankDescending(
      p.unitsSold,
      all.map((o) => o.unitsSold),
    );
    p.unitsRankInCategory = rankDescending(
      p.unitsSold,
      category.map((o) => o.unitsSold),
    );
    // The model ranks the margin rounded to 2 decimals, as stored.
    const roundedMargin = (m: number | null) => (m === null ? null : Math.round(m * 100) / 100);
    p.marginRankInCategory = rankDescendingNullsLast(
      roundedMargin(p.marginPct),
      category.map((o) => roundedMargin(o.marginPct)),
    );
  }
  return answers;
}
