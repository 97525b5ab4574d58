{{ config(materialized='table') }}

-- SCD type 2: one row per version of a customer, from the customer snapshot. A new version starts
-- whenever the source row's updated_at moves. The first version is stretched back to the signup
-- so that every order a customer ever placed falls inside exactly one version. The current
-- attributes with the lifetime figures are dim_customers (one row per customer).

with snapshot as (

    select * from {{ ref('staging', 'snap_customers') }}

),

versioned as (

    select
        *,
        row_number() over (partition by customer_id order by dbt_valid_from) as version_number,
        count(*) over (partition by customer_id) as version_count
    from snapshot

),

final as (

    select
        {{ generate_surrogate_key(['customer_id', 'dbt_valid_from']) }} as customer_version_key,
        {{ generate_surrogate_key(['customer_id']) }} as customer_key,
        customer_id,
        dbt_scd_id as snapshot_version_id,

        full_name,
        email,
        country,
        state,
        city,
        acquisition_channel,

        cast(version_number as integer) as version_number,

        is_marketing_opt_in,
        dbt_valid_to is null as is_current,

        signup_date,

        signed_up_at,
        case
            when version_number = 1 then least(dbt_valid_from, signed_up_at)
            else dbt_valid_from
        end as valid_from,
        dbt_valid_to as valid_to,
        updated_at

    from versioned

)

select * from final
