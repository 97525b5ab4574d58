-- The pre-hook of every staging model logs its execution: each staging view has at least one
-- audit row once the layer has been built.
-- The audit table is not a ref: declare the models so that the test runs after them.
-- depends_on: {{ ref('stg_ecommerce__customers') }}
-- depends_on: {{ ref('stg_ecommerce__products') }}
-- depends_on: {{ ref('stg_ecommerce__orders') }}
-- depends_on: {{ ref('stg_ecommerce__order_items') }}
-- depends_on: {{ ref('stg_ecommerce__order_status_changes') }}
-- depends_on: {{ ref('stg_ecommerce__payments') }}
-- depends_on: {{ ref('stg_ecommerce__refunds') }}
-- depends_on: {{ ref('stg_ecommerce__marketing_touches') }}
-- depends_on: {{ ref('stg_ecommerce__web_events') }}
-- depends_on: {{ ref('stg_seeds__product_categories') }}
-- depends_on: {{ ref('stg_seeds__campaigns') }}

with

expected as (
    select model_name
    from (values
        ('stg_ecommerce__customers'),
        ('stg_ecommerce__products'),
        ('stg_ecommerce__orders'),
        ('stg_ecommerce__order_items'),
        ('stg_ecommerce__order_status_changes'),
        ('stg_ecommerce__payments'),
        ('stg_ecommerce__refunds'),
        ('stg_ecommerce__marketing_touches'),
        ('stg_ecommerce__web_events'),
        ('stg_seeds__product_categories'),
        ('stg_seeds__campaigns')
    ) as models(model_name)
),

logged as (
    select distinct model_name
    from {{ target.schema }}.model_audit_log
)

select expected.model_name
from expected
left join logged
    on expected.model_name = logged.model_name
where logged.model_name is null
