{#-
    An md5 hash of the given columns or expressions, as dbt_utils computes it, so keys match a
    dbt build of the same data: each value cast to varchar, a null becomes
    '_dbt_utils_surrogate_key_null_' (or '' when the var
    surrogate_key_treat_nulls_as_empty_strings is true), values joined by '-'.

    {{ generate_surrogate_key(['order_id', 'line_number']) }}
    -> md5(cast(concat(coalesce(cast(order_id as varchar), '_dbt_utils_surrogate_key_null_'), '-',
           coalesce(cast(line_number as varchar), '_dbt_utils_surrogate_key_null_')) as varchar))
-#}
{%- macro generate_surrogate_key(field_list) -%}

{%- set fields = [field_list] if field_list is string else field_list %}
{%- set null_value = '' if var('surrogate_key_treat_nulls_as_empty_strings', false) else '_dbt_utils_surrogate_key_null_' %}
{%- set ns = namespace(parts=[]) %}
{%- for field in fields %}
    {%- set ns.parts = ns.parts + ["coalesce(cast(" ~ field ~ " as varchar), '" ~ null_value ~ "')"] %}
    {%- if not loop.last %}
        {%- set ns.parts = ns.parts + ["'-'"] %}
    {%- endif %}
{%- endfor %}

{%- if ns.parts | length > 1 -%}
md5(cast(concat({{ ns.parts | join(', ') }}) as varchar))
{%- else -%}
md5(cast({{ ns.parts[0] }} as varchar))
{%- endif -%}

{%- endmacro -%}
