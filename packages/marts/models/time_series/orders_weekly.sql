{{ config(materialized='table') }}

-- One row per ISO week (Monday to Sunday) from the week of the series' first day (the later of
-- var('start_date') and the first order date) to the week of the reporting as-of date, zero-sale
-- weeks included: the daily measures summed per week, calendar year-to-date, week-over-week and
-- year-over-year growth (in percent, null for incomplete weeks). The shared logic lives in the
-- orders_time_series macro.

{{ orders_time_series('week', 'week_start_date', 'week_end_date', 'wow') }}
