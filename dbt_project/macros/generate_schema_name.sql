{#- Custom schema names are used as they are (staging, intermediate, core, marts, kwaliteit),
    not prefixed with the target schema, so BI users and the publish step see fixed names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
