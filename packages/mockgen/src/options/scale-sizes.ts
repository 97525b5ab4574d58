import { FUNNEL } from '../sql/web-events-sql.js';

/** How many rows of each kind a scale asks for. */
export interface WarehouseSizes {
  customers: number;
  /** Customers who signed up before the history starts (the shop is not new). */
  legacyCustomers: number;
  orders: number;
  products: number;
  /** Products launched before the history starts; the rest launch during it, one after another. */
  baseProducts: number;
  /** Browsing sessions of visitors who never log in (expected; a batch counts its tracked orders). */
  anonymousSessions: number;
}

/**
 * Scale 1 is 10,000 customers, 50,000 orders and ~100 products. The catalogue grows with the
 * square root of the scale (a shop with 100× the customers does not sell 100× the products), and
 * small scales keep enough rows for every edge case to exist.
 */
export function sizesForScale(scale: number): WarehouseSizes {
  const customers = Math.max(60, Math.round(10_000 * scale));
  const orders = Math.max(300, Math.round(50_000 * scale));
  const products = Math.max(40, Math.round(100 * Math.sqrt(scale)));
  return {
    customers,
    legacyCustomers: Math.round(customers * 0.2),
    orders,
    products,
    baseProducts: Math.round(products * 0.8),
    anonymousSessions: Math.round(
      orders * FUNNEL.trackedDeviceShare * FUNNEL.anonymousSessionsPerTrackedOrder,
    ),
  };
}
