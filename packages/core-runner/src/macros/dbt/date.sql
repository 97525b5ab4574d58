{#- dbt's cross-database date macros: adding, differencing and truncating dates. -#}

{% macro dateadd(datepart, interval, from_date_or_timestamp) -%}
{{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}
{%- endmacro %}

{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
dateadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{#- An interval literal of one `datepart` (quarter as three months: neither database has a quarter interval everywhere). -#}
{% macro _interval_of_one(datepart) -%}
{%- if datepart | lower == 'quarter' -%}interval '3 month'{%- else -%}interval '1 {{ datepart }}'{%- endif -%}
{%- endmacro %}

{% macro postgres__dateadd(datepart, interval, from_date_or_timestamp) -%}
{{ from_date_or_timestamp }} + (({{ _interval_of_one(datepart) }}) * ({{ interval }}))
{%- endmacro %}

{#- A quoted literal ('2018-01-01', as dbt_utils' date_spine passes it) is cast to a timestamp: DuckDB
    cannot choose between DATE and TIMESTAMP for "string literal + interval" (what a date plus an
    interval gives is a timestamp either way). -#}
{% macro duckdb__dateadd(datepart, interval, from_date_or_timestamp) -%}
{%- set from = from_date_or_timestamp | string | trim -%}
{%- if from[:1] == "'" and from[-1:] == "'" and "'" not in from[1:-1] -%}
{%- set from = 'cast(' ~ from ~ ' as timestamp)' -%}
{%- endif -%}
{{ from }} + (({{ _interval_of_one(datepart) }}) * ({{ interval }}))
{%- endmacro %}

{% macro datediff(first_date, second_date, datepart) -%}
{{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}
{%- endmacro %}

{% macro default__datediff(first_date, second_date, datepart) -%}
datediff({{ datepart }}, {{ first_date }}, {{ second_date }})
{%- endmacro %}

{#-
  Boundaries of `datepart` crossed from first_date to second_date, built from date parts so both
  databases count alike (as dbt-postgres and dbt-duckdb do): month = 12 × years + months, and so on.
-#}
{% macro _datediff_by_parts(first_date, second_date, datepart) -%}
{%- set part = datepart | lower -%}
{%- set a = '(' ~ first_date ~ ')' -%}
{%- set b = '(' ~ second_date ~ ')' -%}
{%- if part == 'year' -%}
(date_part('year', {{ b }}::date) - date_part('year', {{ a }}::date))
{%- elif part == 'quarter' -%}
({{ _datediff_by_parts(first_date, second_date, 'year') }} * 4 + date_part('quarter', {{ b }}::date) - date_part('quarter', {{ a }}::date))
{%- elif part == 'month' -%}
({{ _datediff_by_parts(first_date, second_date, 'year') }} * 12 + date_part('month', {{ b }}::date) - date_part('month', {{ a }}::date))
{%- elif part == 'day' -%}
({{ b }}::date - {{ a }}::date)
{%- elif part == 'week' -%}
(trunc({{ _datediff_by_parts(first_date, second_date, 'day') }} / 7.0) + case
    when date_part('dow', {{ a }}::timestamp) <= date_part('dow', {{ b }}::timestamp)
        then case when {{ a }} <= {{ b }} then 0 else -1 end
    else case when {{ a }} <= {{ b }} then 1 else 0 end
end)
{%- elif part == 'hour' -%}
({{ _datediff_by_parts(first_date, second_date, 'day') }} * 24 + date_part('hour', {{ b }}::timestamp) - date_part('hour', {{ a }}::timestamp))
{%- elif part == 'minute' -%}
({{ _datediff_by_parts(first_date, second_date, 'hour') }} * 60 + date_part('minute', {{ b }}::timestamp) - date_part('minute', {{ a }}::timestamp))
{%- elif part == 'second' -%}
({{ _datediff_by_parts(first_date, second_date, 'minute') }} * 60 + floor(date_part('second', {{ b }}::timestamp)) - floor(date_part('second', {{ a }}::timestamp)))
{%- elif part == 'millisecond' -%}
({{ _datediff_by_parts(first_date, second_date, 'minute') }} * 60000 + floor(date_part('millisecond', {{ b }}::timestamp)) - floor(date_part('millisecond', {{ a }}::timestamp)))
{%- elif part == 'microsecond' -%}
({{ _datediff_by_parts(first_date, second_date, 'minute') }} * 60000000 + floor(date_part('microsecond', {{ b }}::timestamp)) - floor(date_part('microsecond', {{ a }}::timestamp)))
{%- else -%}
{{ exceptions.raise_compiler_error("Unsupported datepart for macro datediff in " ~ target.type ~ ": '" ~ datepart ~ "'") }}
{%- endif -%}
{%- endmacro %}

{% macro postgres__datediff(first_date, second_date, datepart) -%}
{{ _datediff_by_parts(first_date, second_date, datepart) }}
{%- endmacro %}

{% macro duckdb__datediff(first_date, second_date, datepart) -%}
{{ _datediff_by_parts(first_date, second_date, datepart) }}
{%- endmacro %}

{% macro date_trunc(datepart, date) -%}
{{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}
{%- endmacro %}

{% macro default__date_trunc(datepart, date) -%}
date_trunc('{{ datepart }}', {{ date }})
{%- endmacro %}

{% macro last_day(date, datepart) -%}
{{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}
{%- endmacro %}

{% macro default__last_day(date, datepart) -%}
cast({{ dateadd('day', '-1', dateadd(datepart, '1', date_trunc(datepart, date))) }} as date)
{%- endmacro %}

{% macro current_timestamp() -%}
{{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}
{%- endmacro %}

{% macro default__current_timestamp() -%}
current_timestamp
{%- endmacro %}

{% macro postgres__current_timestamp() -%}
now()
{%- endmacro %}

{% macro duckdb__current_timestamp() -%}
now()
{%- endmacro %}
