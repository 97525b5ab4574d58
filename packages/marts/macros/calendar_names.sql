{#- English day and month names of a date (Monday … Sunday, January … December), from the ISO
    weekday and the month number so that every warehouse names them the same way (no locale, no
    strftime / to_char, which differ between warehouses). -#}
{% macro day_name(date_column) -%}
    case cast(extract(isodow from {{ date_column }}) as integer)
        {%- for name in ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] %}
        when {{ loop.index }} then '{{ name }}'
        {%- endfor %}
    end
{%- endmacro %}

{% macro month_name(date_column) -%}
    case cast(extract(month from {{ date_column }}) as integer)
        {%- for name in ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] %}
        when {{ loop.index }} then '{{ name }}'
        {%- endfor %}
    end
{%- endmacro %}
