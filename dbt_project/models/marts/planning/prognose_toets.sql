-- Backtest of marts.kpi_prognose: for every target whose period lies within the data period, per
-- peilmaand the forecast, band and status next to the actual value of marts.kpi, and whether they
-- were right (docs/planning_en_control.md gives the figures on the demo world).
with toets as (
    select
        p.*,
        k.waarde as werkelijk,
        case when p.richting = 'max' then k.waarde <= p.norm else k.waarde >= p.norm end as norm_gehaald
    from {{ ref('kpi_prognose') }} as p
    join {{ ref('int_doelen') }} as d
        on d.organisatie = p.organisatie and d.gemeente is not distinct from p.gemeente
        and d.kpi = p.kpi and d.periode = p.doelperiode
    join {{ ref('int_organisatie_periode') }} as o
        on o.organisatie = p.organisatie and d.tot <= o.laatste_maand
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
