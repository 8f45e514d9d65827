{#- Staging rules of docs/architecture.md, written once. -#}

{% macro laatste_snapshot(relation, key, version=none) -%}
{#- Snapshot object: rows of the latest delivery only; one row per natural key
    (latest version column, then the last row in the file). -#}
select *
from {{ relation }}
where _levering = (select max(_levering) from {{ relation }})
qualify row_number() over (
    partition by {{ key | join(', ') }}
    order by {% if version %}{{ version }} desc nulls last, {% endif %}_rij desc
) = 1
{%- endmacro %}

{% macro laatste_erp_versie(relation, key) -%}
{#- ERP: every extracted version is kept in raw; the latest extraction per (organisatie, key) counts. -#}
select *
from {{ relation }}
qualify row_number() over (partition by organisatie, {{ key | join(', ') }} order by _geladen_op desc) = 1
{%- endmacro %}

{% macro gemeente_uit_nummer(column) -%}
{#- Civision '0622' (a spreadsheet may have dropped the zero) -> 'GM0622'. -#}
case when nullif(trim({{ column }}), '') is not null then 'GM' || lpad(trim({{ column }}), 4, '0') end
{%- endmacro %}

{% macro gemeente_uit_gm_code(column) -%}
case when nullif(trim({{ column }}), '') is not null then upper(trim({{ column }})) end
{%- endmacro %}
