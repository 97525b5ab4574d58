select * from "wh"."main"."fct_orders" where paid_amount < 0
