-- Staging renames and casts but never filters or fans out: each staging view holds exactly the
-- rows of its source table.
with

counts as (
    select 'customers' as table_name,
        (select count(*) from {{ source('ecommerce', 'customers') }}) as source_rows,
        (select count(*) from {{ ref('stg_ecommerce__customers') }}) as staging_rows
    union all
    select 'products',
        (select count(*) from {{ source('ecommerce', 'products') }}),
        (select count(*) from {{ ref('stg_ecommerce__products') }})
    union all
    select 'orders',
        (select count(*) from {{ source('ecommerce', 'orders') }}),
        (select count(*) from {{ ref('stg_ecommerce__orders') }})
    union all
    select 'order_items',
        (select count(*) from {{ source('ecommerce', 'order_items') }}),
        (select count(*) from {{ ref('stg_ecommerce__order_items') }})
    union all
    select 'order_status_history',
        (select count(*) from {{ source('ecommerce', 'order_status_history') }}),
        (select count(*) from {{ ref('stg_ecommerce__order_status_changes') }})
    union all
    select 'payments',
        (select count(*) from {{ source('ecommerce', 'payments') }}),
        (select count(*) from {{ ref('stg_ecommerce__payments') }})
    union all
    select 'refunds',
        (select count(*) from {{ source('ecommerce', 'refunds') }}),
        (select count(*) from {{ ref('stg_ecommerce__refunds') }})
    union all
    select 'marketing_touches',
        (select count(*) from {{ source('ecommerce', 'marketing_touches') }}),
        (select count(*) from {{ ref('stg_ecommerce__marketing_touches') }})
    union all
    select 'web_events',
        (select count(*) from {{ source('ecommerce', 'web_events') }}),
        (select count(*) from {{ ref('stg_ecommerce__web_events') }})
)

select * from counts
where source_rows != staging_rows
