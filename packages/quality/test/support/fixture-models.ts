/**
 * The models of the fixture layer, as `{ path: contents }`. Models the generic tests run on are
 * independent of each other (a failing test skips what is downstream of its model in `build`);
 * the models that call utility macros read only the untested `macro_*` / `union_*` models.
 * Every row is chosen so the failing rows of each test can be counted by hand.
 */
export const fixtureModels: Record<string, string> = {
  'dbt_project.yml': `name: fixture
models:
  fixture:
    # tables, so now() is read once at build time (the recency tests rely on it)
    +materialized: table
`,

  // ------------------------------------------------------------ models under generic tests
  // amounts: -5 and 101 are out of [0, 100]; 0 and 100 sit on the bounds; group c is all null.
  'models/payments.sql': `select * from (values
    (1, 'a', null::varchar, 10.00::decimal(18,2)),
    (2, 'a', null, -5.00),
    (3, 'b', null, 0.00),
    (4, 'b', null, 100.00),
    (5, 'b', null, 101.00),
    (6, 'c', null, null)
) as payments(payment_id, payment_group, note, amount)
`,

  // nickname: empty, spaces, tab/space/newline, a value, null. email: 2 bad in lower case, 1 with ignore-case.
  'models/contacts.sql': `select * from (values
    (1, '', 'ada@example.com'),
    (2, '   ', 'not-an-email'),
    (3, chr(9) || ' ' || chr(10), 'BOB@EXAMPLE.ORG'),
    (4, 'x', null),
    (5, null, 'o''neil@example.io')
) as contacts(contact_id, nickname, email)
`,

  // step_number jumps 3 -> 5 in group a; event_date jumps 01-03 -> 01-05.
  'models/sequences.sql': `select * from (values
    (1, 'a', 1, date '2024-01-01'),
    (2, 'a', 2, date '2024-01-02'),
    (3, 'a', 3, date '2024-01-03'),
    (4, 'a', 5, date '2024-01-05'),
    (5, 'b', 1, date '2024-01-06'),
    (6, 'b', 2, date '2024-01-07')
) as sequences(event_id, sequence_group, step_number, event_date)
`,

  // a: a gap between 20 and 25; b: overlapping; c: zero length; d: contiguous.
  'models/ranges.sql': `select * from (values
    ('a', 0, 10),
    ('a', 10, 20),
    ('a', 25, 30),
    ('b', 0, 10),
    ('b', 5, 15),
    ('c', 0, 0),
    ('d', 0, 5),
    ('d', 5, 10)
) as ranges(range_group, range_start, range_end)
`,

  // group 0: an hour ago (and 4 days ago); group 1: exactly 2 days before the build.
  'models/events.sql': `with now_utc as (
    select cast(now() at time zone 'UTC' as timestamp) as built_at
)

select
    event_id,
    event_id % 2 as event_group,
    case event_id
        when 0 then built_at - interval 1 hour
        when 1 then built_at - interval 2 day
        else built_at - interval 4 day
    end as loaded_at
from now_utc
cross join range(3) as ids(event_id)
`,

  'models/future_events.sql': `with now_utc as (
    select cast(now() at time zone 'UTC' as timestamp) as built_at
)

select 1 as event_id, built_at - interval 3 day as loaded_at from now_utc
union all
select 2, built_at + interval 30 day from now_utc
`,

  'models/no_events.sql': `select 1 as event_id, cast(null as timestamp) as loaded_at
where false
`,

  // row_group 0 has 2 rows in both; row_group 1 has 1 row here and 2 in four_rows.
  'models/three_rows.sql': 'select range as row_id, range % 2 as row_group from range(3)\n',
  'models/four_rows.sql': 'select range as row_id, range % 2 as row_group from range(4)\n',

  'models/customers.sql': `select * from (values (1, true), (2, true), (3, false)) as customers(customer_id, is_active)
`,

  // customers 4 and 5 do not exist; order 13 (customer 4) is cancelled; customer 3 is inactive.
  'models/orders.sql': `select * from (values
    (10, 1, 'placed'),
    (11, 2, 'placed'),
    (12, 3, 'placed'),
    (13, 4, 'cancelled'),
    (14, 5, 'placed'),
    (15, null, 'placed')
) as orders(order_id, customer_id, status)
`,

  'models/cardinality_left.sql': 'select * from (values (1), (1), (2), (3)) as t(value)\n',
  'models/cardinality_same.sql': 'select * from (values (3), (2), (1), (1)) as t(value)\n',
  // same distinct values, different counts: 1 once, 2 twice
  'models/cardinality_shifted.sql': 'select * from (values (1), (2), (2), (3)) as t(value)\n',

  // ------------------------------------------------------------ models calling utility macros
  // placed 3 times, shipped twice, cancelled once: get_column_values' default order is by count.
  'models/macro_orders.sql': `select * from (values
    (1, 'placed', date '2024-01-01', 10.00::decimal(18,2)),
    (2, 'placed', date '2024-01-01', 20.00),
    (3, 'shipped', date '2024-01-01', 5.00),
    (4, 'placed', date '2024-01-02', 7.50),
    (5, 'shipped', date '2024-01-02', 2.50),
    (6, 'cancelled', date '2024-01-02', 1.00)
) as macro_orders(order_id, status, order_date, amount)
`,

  'models/surrogate_keys.sql': `with source as (
    select * from (values (1, 'x'), (2, null)) as source(key_id, key_label)
),

final as (
    select
        key_id,
        {{ generate_surrogate_key(['key_id', 'key_label']) }} as pair_key,
        {{ quality.generate_surrogate_key('key_id') }} as id_key,
        {{ dbt_utils.generate_surrogate_key(['key_id', 'key_label']) }} as dbt_utils_pair_key
    from source
)

select * from final
`,

  // 2024 is a leap year; the end date is excluded.
  'models/spine_days.sql': `with days as (
    {{ date_spine('day', "cast('2024-02-27' as date)", "cast('2024-03-02' as date)") }}
)

select * from days
`,

  'models/spine_months.sql': `with months as (
    {{ date_spine('month', "cast('2024-01-01' as date)", "cast('2024-04-01' as date)") }}
)

select * from months
`,

  'models/spine_hours.sql': `with hours as (
    {{ date_spine('hour', "cast('2024-01-01 22:00:00' as timestamp)", "cast('2024-01-02 01:00:00' as timestamp)") }}
)

select * from hours
`,

  // except is case-insensitive
  'models/star_orders.sql': `select {{ star(ref('macro_orders'), except=['AMOUNT']) }}
from {{ ref('macro_orders') }}
`,

  'models/star_renamed.sql': `select {{ star(ref('macro_orders'), relation_alias='o', except=['status', 'order_date'], prefix='order_', suffix='_v') }}
from {{ ref('macro_orders') }} as o
`,

  'models/pivot_orders.sql': `select
    order_date,
    {{ pivot('status', ['placed', 'shipped', 'cancelled'], prefix='n_') }},
    {{ pivot('status', ['placed'], agg='max', then_value='amount', else_value='null', suffix='_max_amount') }}
from {{ ref('macro_orders') }}
group by order_date
`,

  // the values come from the warehouse: their order is the column order
  'models/pivot_statuses.sql': `{%- set statuses = get_column_values(ref('macro_orders'), 'status', order_by='status') -%}
select
    {{ pivot('status', statuses) }}
from {{ ref('macro_orders') }}
`,

  'models/column_values.sql': `{%- set by_count = get_column_values(ref('macro_orders'), 'status') %}
{%- set by_name = get_column_values(ref('macro_orders'), 'status', order_by='status') %}
{%- set top_one = get_column_values(ref('macro_orders'), 'status', max_records=1) %}
{%- set not_placed = get_column_values(ref('macro_orders'), 'status', where="status <> 'placed'") %}
{%- set none_found = get_column_values(ref('macro_orders'), 'status', where='false', default=['nothing']) %}
{%- set last_ids = get_column_values(ref('macro_orders'), 'order_id', order_by='order_id desc', max_records=2) %}
select 'by_count' as call_name, '{{ by_count | join(",") }}' as returned_values
union all
select 'by_name', '{{ by_name | join(",") }}'
union all
select 'top_one', '{{ top_one | join(",") }}'
union all
select 'not_placed', '{{ not_placed | join(",") }}'
union all
select 'none_found', '{{ none_found | join(",") }}'
union all
select 'last_ids', '{{ last_ids | join(",") }}'
`,

  'models/union_web.sql': `select * from (values
    (1, 'click', '/home'),
    (2, 'view', '/cart')
) as union_web(event_id, event_kind, page_path)
`,

  'models/union_app.sql': `select * from (values
    (3, 'tap', 'home', 7)
) as union_app(event_id, event_kind, screen_name, app_version)
`,

  'models/unioned_events.sql': `{{ union_relations([ref('union_web'), ref('union_app')], exclude=['APP_VERSION']) }}
`,

  'models/unioned_ids.sql': `{{ union_relations(
    [ref('union_web'), ref('union_app')],
    include=['event_id'],
    column_override={'event_id': 'varchar'},
    source_column_name=none,
    where='event_id <> 2'
) }}
`,
};
