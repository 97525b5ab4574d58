{#- amount / divisor in dollars, rounded half away from zero to the cent — exactly. DuckDB divides
    DECIMALs in floating point, so 292.71 / 2 = 146.355 comes back as 146.35499… and rounds down;
    here the division is done on integer cents: round(n / d) = floor((2n + d) / 2d) for n, d > 0.
    Null when the divisor is zero. -#}
{% macro money_divide(amount, divisor) -%}
    {%- set abs_cents = 'cast(abs(cast(' ~ amount ~ ' as decimal(18, 2))) * 100 as bigint)' -%}
    {%- set abs_divisor = 'abs(' ~ divisor ~ ')' -%}
    {%- set quotient_cents = 'sign(' ~ amount ~ ') * sign(' ~ divisor ~ ') * '
        ~ floor_divide('2 * ' ~ abs_cents ~ ' + ' ~ abs_divisor, '2 * ' ~ abs_divisor) -%}
    case
        when ({{ divisor }}) = 0 then null
        else {{ cents_to_dollars(quotient_cents) }}
    end
{%- endmacro %}
