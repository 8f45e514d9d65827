{% macro tijdstip_amsterdam(local) -%}
{#- A local Europe/Amsterdam time as an instant. In the repeated hour at the end of summer time the
    value is read as summer time (SOURCES.md, kcc); DuckDB's own reading is winter time, one hour later. -#}
least(timezone('Europe/Amsterdam', {{ local }}), timezone('Europe/Amsterdam', {{ local }} - interval 1 hour) + interval 1 hour)
{%- endmacro %}
