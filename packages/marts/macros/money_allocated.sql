{#- One share of an amount split among rows so that the shares add up to the amount to the cent.
    The rows of one split are taken in a fixed order; `share_through` is the running sum of the
    share numerators up to and including this row, `share` this row's numerator, `total_shares`
    the denominator of the split. With f(t) = amount × t / total_shares rounded half up to the
    cent (on integer cents), this row gets f(share_through) − f(share_through − share): every
    share is within a cent of amount × share / total_shares, and they sum to the amount exactly
    (rounding each share on its own would not: 100.00 in three is 33.33 + 33.33 + 33.33).
    Floor division (staging's floor_divide) rounds toward minus infinity, as an amount may be
    negative (a gross profit). -#}
{% macro money_allocated(amount, share_through, share, total_shares) -%}
    {%- set cents = 'cast(cast(' ~ amount ~ ' as decimal(18, 2)) * 100 as bigint)' -%}
    {%- set modulus = '(2 * cast(' ~ total_shares ~ ' as bigint))' -%}
    {%- set upper = '(2 * ' ~ cents ~ ' * (' ~ share_through ~ ') + ' ~ total_shares ~ ')' -%}
    {%- set lower = '(2 * ' ~ cents ~ ' * ((' ~ share_through ~ ') - (' ~ share ~ ')) + ' ~ total_shares ~ ')' -%}
    {{ cents_to_dollars(floor_divide(upper, modulus) ~ ' - ' ~ floor_divide(lower, modulus)) }}
{%- endmacro %}
