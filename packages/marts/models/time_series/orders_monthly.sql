{{ config(materialized='table') }}

-- One row per month from the first order to the reporting as-of date, zero-sale months included:
-- counts, valid-order revenue, AOV, year-to-date totals and period-over-period and
-- year-over-year growth. The shared logic lives in the orders_time_series macro.

{{ orders_time_series('month', 'month_start_date') }}
