{{ config(materialized='table') }}

-- One row per month from the month of the series' first day (the later of var('start_date') and
-- the first order date) to the month of the reporting as-of date, zero-sale months included: the
-- daily measures summed per month, calendar year-to-date, month-over-month and year-over-year
-- growth (in percent, null for incomplete months). The shared logic lives in the
-- orders_time_series macro.

{{ orders_time_series('month', 'month_start_date', 'month_end_date', 'mom') }}
