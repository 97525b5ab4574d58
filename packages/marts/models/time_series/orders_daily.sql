{{ config(materialized='table') }}

-- One row per day from the first order to the reporting as-of date, zero-sale days included:
-- counts, valid-order revenue, AOV, year-to-date totals and period-over-period and
-- year-over-year growth. The shared logic lives in the orders_time_series macro.

{{ orders_time_series('day', 'date_day') }}
