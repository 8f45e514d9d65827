{#- Staging rules of docs/architecture.md, written once. -#}

{% macro laatste_snapshot(relation, key, version=none) -%}
{#- Snapshot object: the current record versions (those of the latest delivery); one row per
    natural key (latest version column, then the last row in the file). -#}
select *
from {{ relation }}
where _levering_tot is null
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

{% macro versies_per_levering(versies, systeem, object) -%}
{#- Record versions (a relation or CTE with `_levering` and `_levering_tot`) back at every delivery
    of the object in which they were current, as column `levering`: for findings that are reported
    per delivery. Deliveries: those that loaded rows (raw_meta.leveringen) and every version's bounds. -#}
select v.*, l.levering
from {{ versies }} as v
join (
    select levering from {{ source('raw_meta', 'leveringen') }}
    where systeem = '{{ systeem }}' and object = '{{ object }}' and rijen > 0
    union
    select _levering from {{ versies }}
) as l on l.levering >= v._levering and (v._levering_tot is null or l.levering < v._levering_tot)
{%- endmacro %}

{% macro laatste_venster(relation, systeem, object, key, version, groep, einde) -%}
{#- Window snapshot (SOURCES.md): per key its latest record version. A key the latest delivery
    lacks (its version closed) is deleted when its group (an absence case) still reaches into that
    delivery's window (1 January of the year before the extraction year onwards); one that left
    the window keeps its last version. -#}
with per_sleutel as (
    select *
    from {{ relation }}
    qualify row_number() over (
        partition by {{ key | join(', ') }}
        order by _levering desc, {{ version }} desc nulls last, _rij desc
    ) = 1
),
laatste as (
    select max(levering) as _laatste
    from {{ source('raw_meta', 'leveringen') }}
    where systeem = '{{ systeem }}' and object = '{{ object }}' and rijen > 0
)
select per_sleutel.*
from per_sleutel, laatste
qualify _levering_tot is null
    or max({{ einde }}) over (partition by {{ groep }}) < make_date(year(_laatste) - 1, 1, 1)
{%- endmacro %}

{% macro open_einde(column) -%}
{#- hr delivers an open end as 99991231: downstream an open end is NULL, as in the other sources. -#}
nullif({{ column }}, date '9999-12-31')
{%- endmacro %}

{% macro medewerker(organisatie, personeelsnummer) -%}
{#- Employee pseudonym under its own domain label (SOURCES.md): never equal to a citizen's. -#}
pseudoniem('hr:' || {{ organisatie }} || ':' || lpad(trim({{ personeelsnummer }}), 6, '0'))
{%- endmacro %}

{% macro hr_organisatie(row) -%}
{#- The organisation of an hr row: that of the municipality holding the Wsw or beschut indication,
    else that of the unit (code lists unit_<organisatie>); civil-service rows carry no municipality. -#}
coalesce(
    (select min(g.organisatie) from {{ ref('gemeenten') }} as g
     where g.cbs_code = {{ gemeente_uit_nummer(row ~ '.wsw_gemeente') }}),
    (select min(upper(substr(c.lijst, 6))) from {{ ref('codes') }} as c
     where starts_with(c.lijst, 'unit_') and c.code = {{ row }}.unit_code)
)
{%- endmacro %}

{% macro kcc_code(lijst, label) -%}
{#- The code of a label of the KCC tool (code lists kcc_*, SOURCES.md kcc); null for an unknown label. -#}
(select c.code from {{ ref('codes') }} as c where c.lijst = '{{ lijst }}' and c.omschrijving = {{ label }})
{%- endmacro %}

{% macro tekst_genormaliseerd(column) -%}
{#- A catalogue text as compared with a code list's texts: trimmed, lower case, one space between words. -#}
nullif(lower(regexp_replace(trim({{ column }}), '\s+', ' ', 'g')), '')
{%- endmacro %}

{% macro zaken_organisatie(rsin) -%}
{#- The organisation whose case system a zaak comes from, by its bronorganisatie (RSIN): var
    zaken_organisaties. (The linter's templater renders var() as a placeholder: no pairs then.) -#}
{%- set organisaties = var('zaken_organisaties') %}
(
    select o.organisatie
    from (values {% for rsin, organisatie in (organisaties.items() if organisaties is mapping else []) -%}
        ('{{ rsin }}', '{{ organisatie }}'){% if not loop.last %}, {% endif %}{% else %}(null, null){% endfor %})
        as o (rsin, organisatie)
    where o.rsin = trim({{ rsin }})
)
{%- endmacro %}

{% macro maatregel_code_geleverd(column) -%}
{#- maatregel_code as typed by hand (SOURCES.md, reintegratie): trimmed and upper-cased, empty as null. -#}
nullif(upper(trim({{ column }})), '')
{%- endmacro %}

{% macro maatregel_code(column) -%}
{#- The typed maatregel_code when it is a measure of reference/maatregelen.csv, else null (flagged in
    dq_controle_maatregelen). -#}
case
    when {{ maatregel_code_geleverd(column) }} in (select m.maatregel_code from {{ ref('maatregelen') }} as m)
        then {{ maatregel_code_geleverd(column) }}
end
{%- endmacro %}
