-- Complete grid: every KPI of the metrics layer (kpi_metrieken()) for every municipality, organisation total and
-- period (month, year and range; stocks have no range rows) of the data period, and every KPI code of the
-- calibration figures present. Unknown KPI codes in the targets are a quality finding (dq_controle_doelen).
-- The BBV beleidsindicatoren (per_10000) are no metrics; their grid is marts.bbv_beleidsindicatoren's.
-- KPIs outside the metrics layer (hr: organisation-only and registered-period scopes, KPIS.md) are not
-- held to the grid; a calibration code must be a metric or such a KPI.
with verwacht as (
{%- for k in kpi_metrieken() %}
    select '{{ k.code }}' as kpi, '{{ k.berekening }}' as berekening{% if not loop.last %} union all{% endif %}
{%- endfor %}
),
perioden as (
    select organisatie, gemeente, periode, periode_soort, count(distinct kpi) as aantal
    from {{ ref('kpi') }}
    where berekening <> 'per_10000' and kpi in (select v.kpi from verwacht as v)
    group by all
)
select p.organisatie, p.gemeente, p.periode, 'onvolledig rooster' as probleem
from perioden as p
where p.aantal <> (
    select count(*) from verwacht as v
    where p.periode_soort <> 'bereik' or v.berekening not in ('stand', 'stand_aandeel')
)
union all
select null, null, kpi, 'kpi-code uit kalibratie is geen KPI-metriek'
from {{ ref('kalibratie') }}
where kpi not in (select kpi from verwacht) and kpi not in (select k.kpi from {{ ref('kpi') }} as k)
