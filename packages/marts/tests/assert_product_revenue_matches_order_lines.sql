-- Product performance accounts for every valid order line: revenue, units and cost summed over
-- products equal the totals of fct_order_items.

with products as (

    select sum(revenue) as revenue, sum(units_sold) as units, sum(cost_of_goods_sold) as cost
    from {{ ref('product_performance') }}

),

lines as (

    select sum(line_total) as revenue, sum(quantity) as units, sum(cost_amount) as cost
    from {{ ref('fct_order_items') }}
    where is_valid

)

select products.*, lines.revenue as expected_revenue, lines.units as expected_units, lines.cost as expected_cost
from products
cross join lines
where products.revenue <> lines.revenue
    or products.units <> lines.units
    or products.cost <> lines.cost
