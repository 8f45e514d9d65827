-- Year-end forecast for every KPI with a year-end target in seeds/doelen.csv, as the 2018 board
-- report does it: the realisation so far continued in a straight line to December, per month
-- of the target year (peilmaand). Flows: year-to-date pace x 12; stocks: the trend since the
-- previous December (or the first month with data) extended; means: the actual months plus
-- the extended stock line; shares: the year-to-date share.
with doelen as (
    select *, cast(left(periode, 4) as integer) as jaar
    from {{ ref('doelen') }}
    where length(periode) = 4 or periode like '%-12'
),
maanden as (
    select
        organisatie, gemeente, kpi, berekening, waarde, teller, noemer,
        cast(left(periode, 4) as integer) as jaar,
        cast(right(periode, 2) as integer) as mnd,
        periode
    from {{ ref('kpi') }}
    where periode_soort = 'maand'
),
jaarverloop as (
    select
        d.organisatie, d.gemeente, d.kpi, d.periode as doelperiode, d.norm, d.richting,
        m.berekening, m.periode as peilmaand, m.mnd, m.waarde, m.teller,
        count(*) over w as maanden_met_data,
        sum(m.teller) over w as ytd_teller,
        sum(m.noemer) over w as ytd_noemer,
        avg(m.waarde) over w as ytd_gemiddelde_waarde,
        first_value(m.waarde) over w as eerste_waarde,
        first_value(m.teller) over w as eerste_teller,
        first_value(m.mnd) over w as eerste_mnd,
        v.waarde as december_waarde,
        v.teller as december_teller
    from doelen as d
    join maanden as m
        on m.organisatie = d.organisatie and m.gemeente is not distinct from d.gemeente
        and m.kpi = d.kpi and m.jaar = d.jaar
    left join maanden as v
        on v.organisatie = d.organisatie and v.gemeente is not distinct from d.gemeente
        and v.kpi = d.kpi and v.jaar = d.jaar - 1 and v.mnd = 12
    window w as (partition by d.organisatie, d.gemeente, d.kpi, d.periode order by m.mnd rows unbounded preceding)
),
basis as (
    select
        *,
        12 - mnd as resterend,
        case when december_waarde is not null then 0 else eerste_mnd end as basis_mnd,
        coalesce(december_waarde, eerste_waarde) as basis_waarde,
        coalesce(december_teller, eerste_teller) as basis_teller
    from jaarverloop
),
prognose as (
    select
        *,
        case berekening
            when 'telling' then cast(ytd_teller as double)
            when 'aandeel' then {{ aandeel('ytd_teller', 'ytd_noemer') }}
            when 'gemiddeld_aandeel' then ytd_gemiddelde_waarde
            else waarde
        end as realisatie_tot_nu,
        case berekening
            when 'telling' then ytd_teller + cast(ytd_teller as double) / maanden_met_data * resterend
            when 'aandeel' then {{ aandeel('ytd_teller', 'ytd_noemer') }}
            when 'gemiddeld_aandeel' then ytd_gemiddelde_waarde
            when 'gemiddelde' then (
                ytd_teller + resterend * teller
                + case when mnd > basis_mnd then (teller - basis_teller) / (mnd - basis_mnd) else 0 end
                  * resterend * (resterend + 1) / 2.0
            ) / (maanden_met_data + resterend)
            else waarde + case when mnd > basis_mnd then (waarde - basis_waarde) / (mnd - basis_mnd) else 0 end * resterend
        end as prognose
    from basis
)
select
    organisatie,
    gemeente,
    kpi,
    doelperiode,
    peilmaand,
    cast(maanden_met_data as integer) as maanden_met_data,
    berekening,
    realisatie_tot_nu,
    prognose,
    norm,
    richting,
    case
        when prognose is null then null
        when richting = 'max' then prognose <= norm
        when richting = 'min' then prognose >= norm
    end as doel_gehaald
from prognose
