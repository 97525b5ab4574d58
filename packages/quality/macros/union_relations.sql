{#-
    A union all of `relations` over the union of their columns (in order of first appearance):
    a column a relation lacks is null there. `include` keeps only the named columns, `exclude`
    drops them (case-insensitive; not both). Each column is cast to its type in the first
    relation that has it, or to column_override[name]. `source_column_name` (null to omit)
    names a column holding each row's relation; `where` filters every relation.

    {{ union_relations([ref('stg_web__events'), ref('stg_app__events')], exclude=['_loaded_at']) }}
-#}
{%- macro union_relations(relations, column_override=none, include=[], exclude=[], source_column_name='_dbt_source_relation', where=none) -%}

{%- if include and exclude %}
    {{ exceptions.raise_compiler_error("Both an exclude and include list were provided to the `union` macro. Only one is allowed") }}
{%- endif %}

{#- the columns are asked for even before execution (dbt answers [] while parsing), so the caller
    renders again once the warehouse can answer; nothing renders before execution -#}
{%- set ns_columns = namespace(by_relation=[]) %}
{%- for relation in relations %}
    {%- set ns_columns.by_relation = ns_columns.by_relation + [adapter.get_columns_in_relation(relation)] %}
{%- endfor %}

{%- if execute -%}

    {%- set overrides = column_override or {} %}
    {%- set included = include | map('lower') | list %}
    {%- set excluded = exclude | map('lower') | list %}
    {#- lists are immutable here: the superset and each relation's columns are rebuilt -#}
    {%- set ns = namespace(names=[], lowered=[], types=[], per_relation=[]) %}
    {%- for relation in relations %}
        {%- set rel = namespace(columns=[]) %}
        {%- for column in ns_columns.by_relation[loop.index0] %}
            {%- set lowered = column.name | lower %}
            {%- if (include and lowered not in included) or (exclude and lowered in excluded) %}
            {%- else %}
                {%- set rel.columns = rel.columns + [lowered] %}
                {%- if lowered not in ns.lowered %}
                    {%- set ns.names = ns.names + [column.name] %}
                    {%- set ns.lowered = ns.lowered + [lowered] %}
                    {%- set ns.types = ns.types + [column.data_type if column.data_type is defined and column.data_type else none] %}
                {%- endif %}
            {%- endif %}
        {%- endfor %}
        {%- set ns.per_relation = ns.per_relation + [rel.columns] %}
    {%- endfor %}


    {%- for relation in relations %}
        {%- set relation_columns = ns.per_relation[loop.index0] %}

    (
        select
            {%- if source_column_name is not none %}
            cast('{{ relation | string | replace("'", "''") }}' as varchar) as {{ source_column_name }},
            {%- endif %}
            {%- if not ns.names %}
            {#- no column known (yet): keep the statement valid -#}
            null as _no_columns_found
            {%- endif %}
            {%- for name in ns.names %}
                {%- set value = adapter.quote(name) if ns.lowered[loop.index0] in relation_columns else 'null' %}
                {%- set column_type = overrides[name] if name in overrides else ns.types[loop.index0] %}
            {% if column_type %}cast({{ value }} as {{ column_type }}){% else %}{{ value }}{% endif %} as {{ adapter.quote(name) }}
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ relation }}
        {%- if where %}
        where {{ where }}
        {%- endif %}
    )
        {%- if not loop.last %}

    union all
        {%- endif %}
    {%- endfor %}

{%- endif -%}

{%- endmacro -%}
