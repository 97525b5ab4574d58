{% snapshot snap_products %}

{#- Product rows carry an updated_at, but it also moves on edits that do not matter to
    analysis (names, brand); check only the columns whose history we report on. -#}
{{
    config(
        unique_key='product_id',
        strategy='check',
        check_cols=['list_price', 'unit_cost', 'category_name', 'subcategory_name', 'is_active']
    )
}}

select * from {{ ref('stg_ecommerce__products') }}

{% endsnapshot %}
