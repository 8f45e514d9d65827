-- Backtest of marts.kpi_prognose: for every target whose period lies within the data period, per
-- peilmaand the forecast, band and status next to the actual value of marts.kpi, and whether they
-- were right (docs/planning_en_control.md gives the figures on the demo world). A target period is
-- within the data when the organisation's data runs to its end and, for a KPI whose outcome follows
-- the period (KPIS.md), past it by the follow-up: before that its actual is not yet known.
with nakijktermijn (kpi, maanden) as (
    values
    ('aandeel_duurzame_uitstroom', 7),  -- 183 days after einddatum: up to 2 July of the next year
    ('instroom_werk_binnen_12_maanden_aandeel', 12)
),

toets as (
    select
        p.*,
        k.waarde as werkelijk,
        case when p.richting = 'max' then k.waarde <= p.norm else k.waarde >= p.norm end as norm_gehaald
    from {{ ref('kpi_prognose') }} as p
    join {{ ref('int_doelen') }} as d
        on d.organisatie = p.organisatie and d.gemeente is not distinct from p.gemeente
        and d.kpi = p.kpi and d.periode = p.doelperiode
    left join nakijktermijn as n on n.kpi = p.kpi
    join {{ ref('int_organisatie_periode') }} as o
        on o.organisatie = p.organisatie
        and d.tot + to_months(coalesce(n.maanden, 0)) <= o.laatste_maand
    join {{ ref('kpi') }} as k
        on k.organisatie = p.organisatie and k.gemeente is not distinct from p.gemeente
        and k.kpi = p.kpi and k.periode = p.doelperiode
    where k.waarde is not null and p.prognose is not null
)
select
    organisatie,
    gemeente,
    kpi,
    doelperiode,
    peilmaand,
    prognose,
    prognose_laag,
    prognose_hoog,
    status,
    norm,
    richting,
    werkelijk,
    norm_gehaald,
    doel_gehaald = norm_gehaald as prognose_juist,
    status = 'op_koers' and not norm_gehaald or status = 'niet_haalbaar' and norm_gehaald as status_weerlegd,
    werkelijk between prognose_laag and prognose_hoog as binnen_band
from toets
