
select *
from (select * from "wh"."main"."fct_orders" where order_date >= '2024-01-02') dbt_subquery
where order_id is null
