{#- The US federal holiday falling on `date_column` (observed on the calendar date, not moved off
    weekends), or null. Floating holidays are found from the weekday and the day of the month:
    the third Monday of January is the Monday whose day of month is 15-21, and so on. -#}
{% macro us_holiday_name(date_column) -%}
    case
        when extract(month from {{ date_column }}) = 1 and extract(day from {{ date_column }}) = 1 then 'New Year''s Day'
        when extract(month from {{ date_column }}) = 1 and extract(isodow from {{ date_column }}) = 1 and extract(day from {{ date_column }}) between 15 and 21 then 'Martin Luther King Jr. Day'
        when extract(month from {{ date_column }}) = 2 and extract(isodow from {{ date_column }}) = 1 and extract(day from {{ date_column }}) between 15 and 21 then 'Presidents'' Day'
        when extract(month from {{ date_column }}) = 5 and extract(isodow from {{ date_column }}) = 1 and extract(day from {{ date_column }}) >= 25 then 'Memorial Day'
        when extract(month from {{ date_column }}) = 6 and extract(day from {{ date_column }}) = 19 then 'Juneteenth'
        when extract(month from {{ date_column }}) = 7 and extract(day from {{ date_column }}) = 4 then 'Independence Day'
        when extract(month from {{ date_column }}) = 9 and extract(isodow from {{ date_column }}) = 1 and extract(day from {{ date_column }}) <= 7 then 'Labor Day'
        when extract(month from {{ date_column }}) = 10 and extract(isodow from {{ date_column }}) = 1 and extract(day from {{ date_column }}) between 8 and 14 then 'Columbus Day'
        when extract(month from {{ date_column }}) = 11 and extract(day from {{ date_column }}) = 11 then 'Veterans Day'
        when extract(month from {{ date_column }}) = 11 and extract(isodow from {{ date_column }}) = 4 and extract(day from {{ date_column }}) between 22 and 28 then 'Thanksgiving Day'
        when extract(month from {{ date_column }}) = 12 and extract(day from {{ date_column }}) = 25 then 'Christmas Day'
    end
{%- endmacro %}
