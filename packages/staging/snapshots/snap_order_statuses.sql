{% snapshot snap_order_statuses %}

{#- One version per status an order is seen in, so time spent in each status can be measured
    from dbt_valid_from / dbt_valid_to across snapshot runs. -#}
{{
    config(
        unique_key='order_id',
        strategy='check',
        check_cols=['status']
    )
}}

select
    order_id,
    customer_id,
    status,
    ordered_at,
    shipped_at,
    delivered_at,
    updated_at
from {{ ref('stg_ecommerce__orders') }}

{% endsnapshot %}
