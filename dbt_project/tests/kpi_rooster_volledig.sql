-- Complete grid: every KPI of the metrics layer (kpi_metrieken()) for every municipality, organisation total and
-- period (month and year) of the data period, and every KPI code of the reference files present.
with verwacht as (
{%- for k in kpi_metrieken() %}
    select '{{ k.code }}' as kpi{% if not loop.last %} union all{% endif %}
{%- endfor %}
),
perioden as (
    select organisatie, gemeente, periode, count(distinct kpi) as aantal
    from {{ ref('kpi') }}
    group by all
),
referentie as (
    select kpi from {{ ref('doelen') }}
    union
    select kpi from {{ ref('kalibratie') }}
)
select organisatie, gemeente, periode, 'onvolledig rooster' as probleem
from perioden
where aantal <> (select count(*) from verwacht)
union all
select null, null, kpi, 'kpi-code uit referentiebestand is geen KPI-metriek'
from referentie
where kpi not in (select kpi from verwacht)
