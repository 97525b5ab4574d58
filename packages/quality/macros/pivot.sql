{#-
    One aggregated column per value of `values`: agg(case when column cmp 'value' then
    then_value else else_value end), aliased prefix ~ value ~ suffix (quoted) when `alias`.
    `distinct` aggregates distinct values. Use inside a select with a group by. An empty `values` renders `null as pivot_failure`.

    select
        order_date,
        {{ pivot('status', ['placed', 'shipped'], prefix='orders_') }}
    from {{ ref('stg_ecommerce__orders') }}
    group by order_date
    -> sum(case when status = 'placed' then 1 else 0 end) as "orders_placed", ...
-#}
{%- macro pivot(column, values, alias=true, agg='sum', cmp='=', prefix='', suffix='', then_value=1, else_value=0, quote_identifiers=true, distinct=false) -%}

{%- if not values %}
    null as pivot_failure
{%- else %}
    {%- for value in values %}
    {{ agg }}(
        {%- if distinct %} distinct{% endif %}
        case
            when {{ column }} {{ cmp }} '{{ value | string | replace("'", "''") }}'
                then {{ then_value }}
            else {{ else_value }}
        end
    )
        {%- if alias %}
            {%- if quote_identifiers %} as {{ adapter.quote(prefix ~ value ~ suffix) }}
            {%- else %} as {{ prefix ~ value ~ suffix }}
            {%- endif %}
        {%- endif %}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endif %}

{%- endmacro -%}
