-- Target register: every usable norm of seeds/doelen.csv per peilmaand with its realisation so far
-- (marts.kpi: a stock at the peilmaand, otherwise the range from the target's start to the
-- peilmaand), forecast, band and status, so the board's table "prestatie-indicator | norm | stand |
-- prognose | status" is one select. Norms per gemeente and of the organisation are told apart by niveau.
with doelen as (
    select
        p.*,
        d.van,
        d.toelichting,
        d.bron,
        case
            when p.berekening in ('stand', 'stand_aandeel') then p.peilmaand
            when p.peilmaand < strftime(d.van, '%Y-%m') then null
            else strftime(d.van, '%Y-%m') || '/' || p.peilmaand
        end as realisatie_periode
    from {{ ref('kpi_prognose') }} as p
    join {{ ref('int_doelen') }} as d
        on d.organisatie = p.organisatie and d.gemeente is not distinct from p.gemeente
        and d.kpi = p.kpi and d.periode = p.doelperiode
)
select
    d.organisatie,
    d.gemeente,
    case when d.gemeente is null then 'organisatie' else 'gemeente' end as niveau,
    d.kpi,
    d.toelichting,
    d.doelperiode,
    d.peilmaand,
    d.norm,
    d.richting,
    d.realisatie_periode,
    k.waarde as realisatie_tot_nu,
    d.prognose,
    d.prognose_laag,
    d.prognose_hoog,
    d.status,
    d.bron
from doelen as d
left join {{ ref('kpi') }} as k
    on k.organisatie = d.organisatie and k.gemeente is not distinct from d.gemeente
    and k.kpi = d.kpi and k.periode = d.realisatie_periode
