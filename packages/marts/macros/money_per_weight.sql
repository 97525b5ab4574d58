{#- A money amount divided by a fractional quantity (e.g. budget / customers acquired under linear
    attribution, 3.5 customers), rounded half away from zero to the cent; null when the quantity
    is zero or null. The quantity is a double, so the division is too: for whole-number divisors
    use staging's money_divide, which is exact. -#}
{% macro money_per_weight(amount, weight) -%}
    cast(
        {{ round_double('case when coalesce(' ~ weight ~ ', 0) = 0 then null else cast(' ~ amount ~ ' as double precision) * 100 / ' ~ weight ~ ' end', 0) }} / 100
        as decimal(18, 2)
    )
{%- endmacro %}
