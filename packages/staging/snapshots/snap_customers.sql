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

-- every column but the run's dbt_updated_at audit stamp (that would make each run a new version)
select
    customer_id,
    first_name,
    last_name,
    full_name,
    email,
    phone,
    country,
    country_name,
    state,
    state_name,
    city,
    acquisition_channel,
    is_marketing_opt_in,
    signup_date,
    signed_up_at,
    updated_at,
    loaded_at
from {{ ref('stg_ecommerce__customers') }}

{% endsnapshot %}
