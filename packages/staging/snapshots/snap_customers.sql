{% snapshot snap_customers %}

{#- Customer attributes change in place in the source; keep every version so that facts can be
    joined to the customer as they were when the order was placed (SCD type 2). -#}
{{
    config(
        unique_key='customer_id',
        strategy='timestamp',
        updated_at='updated_at'
    )
}}

select * exclude (dbt_updated_at) from {{ ref('stg_ecommerce__customers') }}

{% endsnapshot %}
