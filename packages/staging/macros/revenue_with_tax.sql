{#- Revenue including tax, rounded to the cent, as DECIMAL(18,2) — the one place the project adds
    tax to revenue (FR-014). Either from a tax rate (a fraction, 0.08 for 8 %): amount × (1 + rate);
    or from the tax actually charged: amount + tax_amount. shipping_amount, when given, is added
    too, which gives the gross order value (merchandise + tax + shipping). -#}
{% macro revenue_with_tax(amount, tax_rate=none, tax_amount=none, shipping_amount=none) -%}
    cast(
        {%- if tax_amount is not none %}
        cast({{ amount }} as decimal(18, 2)) + cast({{ tax_amount }} as decimal(18, 2))
        {%- else %}
        round(cast({{ amount }} as decimal(18, 2)) * (1 + ({{ tax_rate }})), 2)
        {%- endif %}
        {%- if shipping_amount is not none %} + cast({{ shipping_amount }} as decimal(18, 2)){% endif %}
    as decimal(18, 2))
{%- endmacro %}
