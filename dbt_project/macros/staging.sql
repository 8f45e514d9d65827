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

{% macro laatste_venster(relation, key, version, groep, einde) -%}
{#- Window snapshot (SOURCES.md): per key its version in the latest delivery that held it. A
    record the latest delivery lacks is deleted when its group (an absence case) still reaches
    into that delivery's window (1 January of the year before the extraction year onwards); one
    that left the window keeps its last version. -#}
with per_sleutel as (
    select *, max(_levering) over () as _laatste
    from {{ relation }}
    qualify row_number() over (
        partition by {{ key | join(', ') }}
        order by _levering desc, {{ version }} desc nulls last, _rij desc
    ) = 1
)
select * exclude (_laatste)
from per_sleutel
qualify _levering = _laatste
    or max({{ einde }}) over (partition by {{ groep }}, _levering) < make_date(year(_laatste) - 1, 1, 1)
{%- endmacro %}

{% macro open_einde(column) -%}
{#- hr delivers an open end as 99991231: downstream an open end is NULL, as in the other sources. -#}
nullif({{ column }}, date '9999-12-31')
{%- endmacro %}

{% macro medewerker(organisatie, personeelsnummer) -%}
{#- Employee pseudonym under its own domain label (SOURCES.md): never equal to a citizen's. -#}
pseudoniem('hr:' || {{ organisatie }} || ':' || lpad(trim({{ personeelsnummer }}), 6, '0'))
{%- endmacro %}
