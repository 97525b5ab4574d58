with

source as (
    select * from {{ source('ecommerce', 'customers') }}
),

-- ISO 3166 mappings (seeds): a lookup, not a business join — every source spelling of a country
-- or subdivision, abbreviated or written out, maps to one code.
countries as (
    select * from {{ ref('iso_3166_countries') }}
),

subdivisions as (
    select * from {{ ref('iso_3166_subdivisions') }}
),

final as (
    select
        -- ids
        cast(id as bigint) as customer_id,

        -- strings
        trim(first_name) as first_name,
        trim(last_name) as last_name,
        concat_ws(' ', trim(first_name), trim(last_name)) as full_name,
        lower(trim(email)) as email,
        phone,
        countries.country_code as country,
        countries.country_name,
        subdivisions.subdivision_code as state,
        subdivisions.subdivision_name as state_name,
        city,
        lower(acquisition_channel) as acquisition_channel,

        -- booleans
        coalesce(marketing_opt_in, false) as is_marketing_opt_in,

        -- dates
        cast(created_at as date) as signup_date,

        -- timestamps
        cast(created_at as timestamp) as signed_up_at,
        cast(updated_at as timestamp) as updated_at,
        cast(_loaded_at as timestamp) as loaded_at,
        {{ run_timestamp() }} as dbt_updated_at

    from source
    left join countries
        on upper(trim(source.country)) = upper(countries.country_value)
    left join subdivisions
        on countries.country_code = subdivisions.country_code
        and upper(trim(source.state)) = upper(subdivisions.state_value)
)

select * from final
