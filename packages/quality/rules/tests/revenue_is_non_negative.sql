-- Rule: no revenue figure is negative, from the order line up to the time series and customers.

select 'fct_order_items.line_total' as measure, cast(order_item_id as varchar) as row_key, line_total as amount
from {{ ref('fct_order_items') }}
where line_total < 0

union all

select 'fct_order_items.total_revenue', cast(order_item_id as varchar), total_revenue
from {{ ref('fct_order_items') }}
where total_revenue < 0

union all

select 'fct_orders.order_total', cast(order_id as varchar), order_total
from {{ ref('fct_orders') }}
where order_total < 0 or subtotal < 0 or gross_order_value < 0

union all

select 'dim_customers.lifetime_value', cast(customer_id as varchar), lifetime_value
from {{ ref('dim_customers') }}
where lifetime_value < 0

union all

select 'product_performance.revenue', cast(product_id as varchar), revenue
from {{ ref('product_performance') }}
where revenue < 0

union all

select 'customer_analytics.lifetime_value', cast(customer_id as varchar), lifetime_value
from {{ ref('customer_analytics') }}
where lifetime_value < 0

union all

select 'orders_daily.total_revenue', cast(date_day as varchar), total_revenue
from {{ ref('orders_daily') }}
where total_revenue < 0 or gross_order_value < 0

union all

select 'product_summary.total_revenue', category_name, total_revenue
from {{ ref('product_summary') }}
where total_revenue < 0

union all

select 'campaign_performance.revenue', cast(campaign_id as varchar), revenue
from {{ ref('campaign_performance') }}
where revenue < 0
