{#- dbt's series macros: numbers 1..n, the intervals between two dates, and a spine of dates. -#}

{#- The smallest n with 2^n >= upper_bound. -#}
{% macro get_powers_of_two(upper_bound) -%}
{{ return(adapter.dispatch('get_powers_of_two', 'dbt')(upper_bound)) }}
{%- endmacro %}

{% macro default__get_powers_of_two(upper_bound) -%}
{%- if upper_bound <= 0 -%}
{{ exceptions.raise_compiler_error("upper bound must be positive") }}
{%- endif -%}
{%- set found = namespace(power=0) -%}
{%- for i in range(1, 64) -%}
{%- if found.power == 0 and upper_bound <= 2 ** i -%}{%- set found.power = i -%}{%- endif -%}
{%- endfor -%}
{{ return(found.power) }}
{%- endmacro %}

{% macro generate_series(upper_bound) -%}
{{ return(adapter.dispatch('generate_series', 'dbt')(upper_bound)) }}
{%- endmacro %}

{#- Numbers 1..upper_bound from a cross join of n two-row tables (no series function needed). -#}
{% macro default__generate_series(upper_bound) -%}
{%- set powers = get_powers_of_two(upper_bound) | int -%}
with p as (
    select 0 as generated_number
    union all
    select 1
),

unioned as (
    select
    {% for i in range(powers) -%}
    p{{ i }}.generated_number * power(2, {{ i }}){{ ' + ' if not loop.last else '' }}
    {%- endfor %} + 1 as generated_number
    from
    {% for i in range(powers) -%}
    p as p{{ i }}{{ ' cross join ' if not loop.last else '' }}
    {%- endfor %}
)

select *
from unioned
where generated_number <= {{ upper_bound }}
order by generated_number
{%- endmacro %}

{% macro duckdb__generate_series(upper_bound) -%}
select generate_series as generated_number
from generate_series(1, {{ upper_bound }})
{%- endmacro %}

{#-
  How many `datepart` intervals lie between two dates, asked of the warehouse (a number; 1 while
  parsing, when nothing runs). The query is asked at parse time too, so the node renders again when it runs.
-#}
{% macro get_intervals_between(start_date, end_date, datepart) -%}
{{ return(adapter.dispatch('get_intervals_between', 'dbt')(start_date, end_date, datepart)) }}
{%- endmacro %}

{% macro default__get_intervals_between(start_date, end_date, datepart) -%}
{%- set result = run_query('select cast(' ~ datediff(start_date, end_date, datepart) ~ ' as integer) as intervals') -%}
{%- if execute and result and result.rows | length > 0 -%}
{{ return(result.rows[0][0]) }}
{%- else -%}
{{ return(1) }}
{%- endif -%}
{%- endmacro %}

{#- One row per `datepart` from start_date (included) to end_date (excluded), in `date_<datepart>`. -#}
{% macro date_spine(datepart, start_date, end_date) -%}
{{ return(adapter.dispatch('date_spine', 'dbt')(datepart, start_date, end_date)) }}
{%- endmacro %}

{% macro default__date_spine(datepart, start_date, end_date) -%}
{%- set intervals = get_intervals_between(start_date, end_date, datepart) | int -%}
with rawdata as (
    {{ generate_series(intervals if intervals > 0 else 1) }}
),

all_periods as (
    select (
        {{ dateadd(datepart, 'row_number() over (order by generated_number) - 1', start_date) }}
    ) as date_{{ datepart }}
    from rawdata
),

filtered as (
    select *
    from all_periods
    where date_{{ datepart }} <= {{ end_date }}
)

select * from filtered
{%- endmacro %}
