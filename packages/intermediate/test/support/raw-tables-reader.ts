import { join } from 'node:path';
import { layer as staging } from '@shopsmart/staging';
import { dateOfEpochUs } from './calendar.js';
import { dollarsTextToCents } from './money.js';
import type { Row, WarehouseReader } from './warehouse-reader.js';

export interface RawCustomer {
  id: number;
  signupDate: string;
}

export interface RawProduct {
  id: number;
  category: string;
  subcategory: string;
  unitCostCents: number;
  listPriceCents: number;
  isActive: boolean;
}

export interface RawOrder {
  id: number;
  customerId: number;
  status: string;
  orderedAtUs: number;
  orderDate: string;
  campaignId: number | null;
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
}

export interface RawOrderItem {
  id: number;
  orderId: number;
  productId: number;
  quantity: number;
  unitPriceCents: number;
  discountCents: number;
  lineTotalCents: number;
}

export interface RawTouch {
  id: number;
  customerId: number;
  campaignId: number;
  touchedAtUs: number;
  touchDate: string;
}

export interface SeedCampaign {
  id: number;
  name: string;
  channel: string;
  budgetCents: number;
  startDate: string;
  endDate: string;
}

export interface SeedCategory {
  categoryId: number;
  categoryName: string;
}

/** The raw warehouse and the reference seeds as plain arrays: the input of every expected value. */
export interface RawWarehouse {
  customers: RawCustomer[];
  products: RawProduct[];
  orders: RawOrder[];
  orderItems: RawOrderItem[];
  touches: RawTouch[];
  campaigns: SeedCampaign[];
  categories: SeedCategory[];
}

const int = (value: unknown): number => Number(value);
const intOrNull = (value: unknown): number | null => (value === null ? null : Number(value));

/**
 * Reads the raw tables (plain selects, no SQL logic: timestamps as epoch microseconds, money as
 * the stored cents) and the staging package's seed files.
 */
export async function readRawWarehouse(warehouse: WarehouseReader, schema = 'raw'): Promise<RawWarehouse> {
  const select = (table: string, columns: string): Promise<Row[]> =>
    warehouse.rows(`select ${columns} from ${schema}.${table} order by id`);
  const seed = (file: string): Promise<Row[]> =>
    warehouse.rows(`select * from read_csv('${join(staging.root, 'seeds', file)}', all_varchar = true)`);

  // One query at a time: a DuckDB connection runs statements sequentially anyway.
  const customers = await select('customers', 'id, epoch_us(created_at) as created_us');
  const products = await select(
    'products',
    'id, category, subcategory, unit_cost_cents, list_price_cents, is_active',
  );
  const orders = await select(
    'orders',
    'id, customer_id, status, epoch_us(ordered_at) as ordered_us, campaign_id, subtotal_cents, shipping_cents, tax_cents, order_total_cents',
  );
  const orderItems = await select(
    'order_items',
    'id, order_id, product_id, quantity, unit_price_cents, discount_cents, line_total_cents',
  );
  const touches = await select(
    'marketing_touches',
    'id, customer_id, campaign_id, epoch_us(touched_at) as touched_us',
  );
  const campaigns = await seed('campaign_metadata.csv');
  const categories = await seed('product_categories.csv');

  return {
    customers: customers.map((r) => ({ id: int(r.id), signupDate: dateOfEpochUs(int(r.created_us)) })),
    products: products.map((r) => ({
      id: int(r.id),
      category: String(r.category),
      subcategory: String(r.subcategory),
      unitCostCents: int(r.unit_cost_cents),
      listPriceCents: int(r.list_price_cents),
      isActive: r.is_active === true,
    })),
    orders: orders.map((r) => ({
      id: int(r.id),
      customerId: int(r.customer_id),
      status: String(r.status).toLowerCase(),
      orderedAtUs: int(r.ordered_us),
      orderDate: dateOfEpochUs(int(r.ordered_us)),
      campaignId: intOrNull(r.campaign_id),
      subtotalCents: int(r.subtotal_cents),
      shippingCents: int(r.shipping_cents),
      taxCents: int(r.tax_cents),
      totalCents: int(r.order_total_cents),
    })),
    orderItems: orderItems.map((r) => ({
      id: int(r.id),
      orderId: int(r.order_id),
      productId: int(r.product_id),
      quantity: int(r.quantity),
      unitPriceCents: int(r.unit_price_cents),
      discountCents: int(r.discount_cents),
      lineTotalCents: int(r.line_total_cents),
    })),
    touches: touches.map((r) => ({
      id: int(r.id),
      customerId: int(r.customer_id),
      campaignId: int(r.campaign_id),
      touchedAtUs: int(r.touched_us),
      touchDate: dateOfEpochUs(int(r.touched_us)),
    })),
    campaigns: campaigns.map((r) => ({
      id: int(r.campaign_id),
      name: String(r.campaign_name),
      channel: String(r.channel).toLowerCase(),
      budgetCents: dollarsTextToCents(String(r.budget)),
      startDate: String(r.start_date),
      endDate: String(r.end_date),
    })),
    categories: [
      ...new Map(categories.map((r) => [String(r.category_name), int(r.category_id)])).entries(),
    ].map(([categoryName, categoryId]) => ({ categoryName, categoryId })),
  };
}

/** Status semantics of the whole project: delivered orders are completed; cancelled and returned are not sales. */
export const orderStatus = {
  isCompleted: (order: RawOrder) => order.status === 'delivered',
  isCancelled: (order: RawOrder) => order.status === 'cancelled',
  isReturned: (order: RawOrder) => order.status === 'returned',
  isValid: (order: RawOrder) => order.status !== 'cancelled' && order.status !== 'returned',
};
