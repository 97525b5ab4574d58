import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layer } from '../src/index.js';
import { customerOrderFacts } from './reference/customer-orders-reference.js';
import { orderHistory } from './reference/order-history-reference.js';
import { ordersByDay, productSalesByDay } from './reference/sales-by-day-reference.js';
import { type BuiltLayer, buildLayer, failedNodes, generated } from './support/layer-build.js';
import { divideRounded } from './support/money.js';
import { orderStatus, type RawWarehouse, readRawWarehouse } from './support/raw-tables-reader.js';
import { compareRows, type Expected, summarize } from './support/row-comparison.js';

// Builds what intermediate needs (staging, seeds, snapshots and the int_ models with all their
// tests) on a small generated warehouse, then checks the int_ views that the warehouse holds
// against answers recomputed here from the raw tables. Ephemeral models are covered by the
// marts suite through the marts that inline them.

const asOf = generated.asOf;
let built: BuiltLayer;
let raw: RawWarehouse;

beforeAll(async () => {
  // All of staging too: tests are selected eagerly (as in dbt), so a staging relationships test
  // whose other side is a staging model intermediate does not read would otherwise error.
  built = await buildLayer(layer, ['+package:intermediate', 'package:staging']);
  raw = await readRawWarehouse(built.warehouse);
}, 180_000);

afterAll(() => built?.dispose());

describe('intermediate layer on a generated warehouse', () => {
  it('builds every model and passes every data test', () => {
    expect(failedNodes(built.results), 'nodes that errored or failed').toEqual([]);
    expect(built.results.success).toBe(true);
  });

  it('int_orders_aggregated_by_customer has exactly one row per customer', async () => {
    const [counts] = await built.warehouse.rows(
      'select count(*) as row_count, count(distinct customer_id) as customer_count from int_orders_aggregated_by_customer',
    );
    expect({ rows: Number(counts?.row_count), customers: Number(counts?.customer_count) }).toEqual({
      rows: raw.customers.length,
      customers: raw.customers.length,
    });
  });

  it('int_orders_aggregated_by_customer: counts, lifetime value, AOV and recency per customer', async () => {
    const expected = new Map<string, Expected>();
    for (const c of customerOrderFacts(raw, asOf).values()) {
      expected.set(String(c.customerId), {
        order_count: c.orderCount,
        valid_order_count: c.validOrderCount,
        completed_order_count: c.completedOrderCount,
        cancelled_order_count: c.cancelledOrderCount,
        returned_order_count: c.returnedOrderCount,
        lifetime_value: c.lifetimeValueCents,
        valid_order_total: c.validOrderTotalCents,
        average_order_value: c.averageOrderValueCents,
        days_since_first_order: c.daysSinceFirstOrder,
        days_since_last_order: c.daysSinceLastOrder,
        days_since_last_completed_order: c.daysSinceLastCompletedOrder,
        has_ordered: c.orderCount > 0,
        is_repeat_customer: c.completedOrderCount >= 2,
        first_order_date: c.firstOrderDate,
        last_order_date: c.lastOrderDate,
        last_completed_order_date: c.lastCompletedOrderDate,
        as_of_date: asOf,
      });
    }
    // Distinct rows: the grain is asserted above; here every customer's values are checked once.
    const rows = await built.warehouse.rows('select distinct * from int_orders_aggregated_by_customer');
    const problems = compareRows('int_orders_aggregated_by_customer', rows, 'customer_id', expected, {
      order_count: 'int',
      valid_order_count: 'int',
      completed_order_count: 'int',
      cancelled_order_count: 'int',
      returned_order_count: 'int',
      lifetime_value: 'money',
      valid_order_total: 'money',
      average_order_value: 'money',
      days_since_first_order: 'int',
      days_since_last_order: 'int',
      days_since_last_completed_order: 'int',
      has_ordered: 'bool',
      is_repeat_customer: 'bool',
      first_order_date: 'date',
      last_order_date: 'date',
      last_completed_order_date: 'date',
      as_of_date: 'date',
    });
    expect(summarize(problems)).toEqual([]);
  });

  it('int_customer_order_history: sequence, running completed revenue and gaps per order', async () => {
    const expected = new Map<string, Expected>();
    const history = [...orderHistory(raw).values()];
    const ordersPerCustomer = new Map<number, number>();
    for (const h of history)
      ordersPerCustomer.set(h.order.customerId, (ordersPerCustomer.get(h.order.customerId) ?? 0) + 1);
    for (const h of history) {
      const orderCount = ordersPerCustomer.get(h.order.customerId) ?? 0;
      expected.set(String(h.order.id), {
        customer_id: h.order.customerId,
        status: h.order.status,
        order_total: h.order.totalCents,
        customer_order_number: h.customerOrderNumber,
        completed_order_number: h.completedOrderNumber,
        running_completed_order_count: h.runningCompletedOrderCount,
        running_completed_revenue: h.runningCompletedRevenueCents,
        running_average_order_value:
          h.runningCompletedOrderCount === 0
            ? null
            : divideRounded(h.runningCompletedRevenueCents, h.runningCompletedOrderCount),
        customer_order_count: orderCount,
        is_latest_order: h.customerOrderNumber === orderCount,
        days_since_previous_order: h.daysSincePreviousOrder,
        days_since_first_order: h.daysSinceFirstOrder,
        months_since_first_order: h.monthsSinceFirstOrder,
        is_first_order: h.customerOrderNumber === 1,
        is_repeat_order: h.customerOrderNumber > 1,
        is_completed: orderStatus.isCompleted(h.order),
        is_valid: orderStatus.isValid(h.order),
        order_date: h.order.orderDate,
        first_order_date: h.firstOrderDate,
      });
    }
    // Ephemeral (one reader, dim_customers): run its compiled SQL.
    const rows = await built.warehouse.rows(
      `select * from (${built.compiled('int_customer_order_history')}) as history`,
    );
    const problems = compareRows('int_customer_order_history', rows, 'order_id', expected, {
      customer_id: 'int',
      status: 'text',
      order_total: 'money',
      customer_order_number: 'int',
      completed_order_number: 'int',
      running_completed_order_count: 'int',
      running_completed_revenue: 'money',
      running_average_order_value: 'money',
      customer_order_count: 'int',
      is_latest_order: 'bool',
      days_since_previous_order: 'int',
      days_since_first_order: 'int',
      months_since_first_order: 'int',
      is_first_order: 'bool',
      is_repeat_order: 'bool',
      is_completed: 'bool',
      is_valid: 'bool',
      order_date: 'date',
      first_order_date: 'date',
    });
    expect(summarize(problems)).toEqual([]);
  });

  it('int_order_items_enriched: each line with its order, product, cost and profit', async () => {
    const orders = new Map(raw.orders.map((o) => [o.id, o]));
    const products = new Map(raw.products.map((p) => [p.id, p]));
    const expected = new Map<string, Expected>();
    for (const item of raw.orderItems) {
      const order = orders.get(item.orderId);
      const product = products.get(item.productId);
      if (order === undefined || product === undefined) continue;
      const costCents = item.quantity * product.unitCostCents;
      expected.set(String(item.id), {
        order_id: item.orderId,
        customer_id: order.customerId,
        product_id: item.productId,
        campaign_id: order.campaignId,
        order_status: order.status,
        category_name: product.category,
        subcategory_name: product.subcategory,
        quantity: item.quantity,
        unit_price: item.unitPriceCents,
        unit_cost: product.unitCostCents,
        gross_amount: item.quantity * item.unitPriceCents,
        discount_amount: item.discountCents,
        line_total: item.lineTotalCents,
        cost_amount: costCents,
        profit: item.lineTotalCents - costCents,
        is_valid: orderStatus.isValid(order),
        order_date: order.orderDate,
      });
    }
    const rows = await built.warehouse.rows('select * from int_order_items_enriched');
    const problems = compareRows('int_order_items_enriched', rows, 'order_item_id', expected, {
      order_id: 'int',
      customer_id: 'int',
      product_id: 'int',
      campaign_id: 'int',
      order_status: 'text',
      category_name: 'text',
      subcategory_name: 'text',
      quantity: 'int',
      unit_price: 'money',
      unit_cost: 'money',
      gross_amount: 'money',
      discount_amount: 'money',
      line_total: 'money',
      cost_amount: 'money',
      profit: 'money',
      is_valid: 'bool',
      order_date: 'date',
    });
    expect(summarize(problems)).toEqual([]);
  });

  it('int_orders_aggregated_by_day: counts, units and money per day with orders', async () => {
    const expected = new Map<string, Expected>();
    for (const [date, d] of ordersByDay(raw)) {
      expected.set(date, {
        order_count: d.orderCount,
        valid_order_count: d.validOrderCount,
        completed_order_count: d.completedOrderCount,
        cancelled_order_count: d.cancelledOrderCount,
        returned_order_count: d.returnedOrderCount,
        customer_count: d.customerCount,
        new_customer_count: d.newCustomerCount,
        units_sold: d.unitsSold,
        revenue: d.revenueCents,
        discount_amount: d.discountCents,
        shipping_amount: d.shippingCents,
        tax_amount: d.taxCents,
        gross_order_value: d.grossOrderValueCents,
        cost_of_goods: d.costCents,
        gross_profit: d.revenueCents - d.costCents,
        completed_revenue: d.completedRevenueCents,
        average_order_value:
          d.validOrderCount === 0 ? null : divideRounded(d.revenueCents, d.validOrderCount),
      });
    }
    const rows = await built.warehouse.rows('select * from int_orders_aggregated_by_day');
    const problems = compareRows('int_orders_aggregated_by_day', rows, 'order_date', expected, {
      order_count: 'int',
      valid_order_count: 'int',
      completed_order_count: 'int',
      cancelled_order_count: 'int',
      returned_order_count: 'int',
      customer_count: 'int',
      new_customer_count: 'int',
      units_sold: 'int',
      revenue: 'money',
      discount_amount: 'money',
      shipping_amount: 'money',
      tax_amount: 'money',
      gross_order_value: 'money',
      cost_of_goods: 'money',
      gross_profit: 'money',
      completed_revenue: 'money',
      average_order_value: 'money',
    });
    expect(summarize(problems)).toEqual([]);
  });

  it('int_product_sales_aggregated_by_day: valid-order sales and units by status per product and day', async () => {
    const expected = new Map<string, Expected>();
    for (const [key, d] of productSalesByDay(raw)) {
      expected.set(key, {
        category_name: d.category,
        order_count: d.orderCount,
        orders_with_discount: d.ordersWithDiscount,
        units_sold: d.unitsSold,
        units_delivered: d.unitsDelivered,
        units_returned: d.unitsReturned,
        units_cancelled: d.unitsCancelled,
        daily_revenue: d.revenueCents,
        discount_amount: d.discountCents,
        cost_of_goods: d.costCents,
        daily_profit: d.revenueCents - d.costCents,
        has_sales: d.unitsSold > 0,
      });
    }
    const rows = await built.warehouse.rows('select * from int_product_sales_aggregated_by_day');
    const problems = compareRows(
      'int_product_sales_aggregated_by_day',
      rows,
      (row) => `${row.product_id}|${row.order_date}`,
      expected,
      {
        category_name: 'text',
        order_count: 'int',
        orders_with_discount: 'int',
        units_sold: 'int',
        units_delivered: 'int',
        units_returned: 'int',
        units_cancelled: 'int',
        daily_revenue: 'money',
        discount_amount: 'money',
        cost_of_goods: 'money',
        daily_profit: 'money',
        has_sales: 'bool',
      },
    );
    expect(summarize(problems)).toEqual([]);
  });
});
