-- Complete grid: every KPI of the metrics layer (kpi_metrieken()) for every municipality, organisation total and
-- period (month, year and range; stocks have no range rows) of the data period. KPIs that are no metrics (the
-- BBV beleidsindicatoren, per_10000, and the staff, contact-centre and survey KPIs, which exist only where their
-- registration covers the period) have their own grid. Unknown KPI codes in the targets are a quality finding
-- (dq_controle_doelen); every calibration code is checked against marts.kpi by tests/test_kalibratie.py.
with verwacht as (
{%- for k in kpi_metrieken() %}
    select '{{ k.code }}' as kpi, '{{ k.berekening }}' as berekening{% if not loop.last %} union all{% endif %}
{%- endfor %}
),
perioden as (
    select organisatie, gemeente, periode, periode_soort, count(distinct kpi) as aantal
    from {{ ref('kpi') }}
    where kpi in (select kpi from verwacht)
    group by all
)
select p.organisatie, p.gemeente, p.periode, 'onvolledig rooster' as probleem
from perioden as p
where p.aantal <> (
    select count(*) from verwacht as v
    where p.periode_soort <> 'bereik' or v.berekening not in ('stand', 'stand_aandeel')
)
