{#-
    The comma-separated, quoted column list of a relation, without the columns named in
    `except` (compared case-insensitively). `relation_alias` qualifies each column; `prefix`
    and `suffix` rename them. Before execution (parsing), renders `*`.

    select {{ star(ref('stg_ecommerce__orders'), except=['_loaded_at']) }} from ...
    -> select "order_id", "customer_id", ... from ...
-#}
{%- macro star(from, relation_alias=false, except=[], prefix='', suffix='', quote_identifiers=true) -%}

{#- asked even before execution (dbt answers [] while parsing), so the caller renders again once the
    warehouse can answer -#}
{%- set relation_columns = adapter.get_columns_in_relation(from) %}
{%- if not execute -%}
*
{%- else -%}
    {%- set excluded = except | map('lower') | list %}
    {%- set ns = namespace(columns=[]) %}
    {%- for column in relation_columns if column.name | lower not in excluded %}
        {%- set ns.columns = ns.columns + [column.name] %}
    {%- endfor %}
    {%- if not ns.columns -%}
/* no columns returned from star() macro */
    {%- endif %}
    {%- for column in ns.columns %}
        {%- if relation_alias %}{{ relation_alias }}.{% endif %}
        {%- if quote_identifiers %}{{ adapter.quote(column) }}{% else %}{{ column }}{% endif %}
        {%- if prefix or suffix %} as {% if quote_identifiers %}{{ adapter.quote(prefix ~ column ~ suffix) }}{% else %}{{ prefix ~ column ~ suffix }}{% endif %}{% endif %}
        {%- if not loop.last %},{{ '\n  ' }}{% endif %}
    {%- endfor %}
{%- endif -%}

{%- endmacro -%}
