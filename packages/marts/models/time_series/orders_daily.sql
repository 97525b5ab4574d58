{{ config(materialized='table') }}

-- One row per day from the later of var('start_date') and the first order date to the reporting
-- as-of date, zero-sale days included: orders, net merchandise revenue, gross order value, gross
-- profit, AOV, calendar year-to-date, day-over-day and year-over-year growth (in percent). The
-- shared logic lives in the orders_time_series macro.

{{ orders_time_series('day', 'date_day', growth_prefix='dod') }}
