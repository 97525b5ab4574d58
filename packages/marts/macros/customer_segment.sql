{#- The customer segment, first matching rule wins (N = var active_customer_days, T = var
    high_value_customer_threshold): vip (lifetime value ≥ T and an order within N days), new
    (first order — or signup when none — within N days), active (an order within N days),
    at-risk (within 2N days), dormant. Arguments are SQL expressions of days to the as-of date. -#}
{% macro customer_segment(lifetime_value, days_since_first_order, days_since_last_order, days_since_signup) -%}
    case
        when {{ lifetime_value }} >= {{ var('high_value_customer_threshold') }}
            and {{ days_since_last_order }} <= {{ var('active_customer_days') }} then 'vip'
        when coalesce({{ days_since_first_order }}, {{ days_since_signup }}) <= {{ var('active_customer_days') }} then 'new'
        when {{ days_since_last_order }} <= {{ var('active_customer_days') }} then 'active'
        when {{ days_since_last_order }} <= 2 * {{ var('active_customer_days') }} then 'at-risk'
        else 'dormant'
    end
{%- endmacro %}
