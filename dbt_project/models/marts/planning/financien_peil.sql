-- Finance per peilmaand: for every month of an organisation's ERP postings and every programme and
-- product of that year, the budget known at the end of the peilmaand (every version whose
-- budget_date is on or before it), the realisation up to it, and the year forecast.
-- Forecast (docs/planning_en_control.md, Financiën): with f = peilmaand / 12 the elapsed part of
-- the year, the rest of the year is the remaining budget (1 - f) x begroting and the run rate's
-- remainder realisatie x (1 - f) / f, weighted by (1 - f) and f: the budget counts early in the
-- year, the realisation later. prognose = realisatie + (1 - f)^2 x begroting + (1 - f) x
-- realisatie; without a budget the run rate alone, realisatie / f.
with posten as (
    select *, cast(date_trunc('month', datum) as date) as maand
    from {{ ref('fct_financien_posten') }}
),
looptijd as (
    select organisatie, min(maand) as eerste, max(maand) as laatste
    from posten
    where soort = 'realisatie'
    group by organisatie
),
peilmaanden as (
    select organisatie, cast(unnest(generate_series(eerste, laatste, interval 1 month)) as date) as peilmaand
    from looptijd
),
onderdelen as (
    select distinct organisatie, jaar, programma, product from posten
),
rooster as (
    select o.organisatie, o.jaar, o.programma, o.product, p.peilmaand, month(p.peilmaand) as kalendermaand
    from onderdelen as o
    join peilmaanden as p on p.organisatie = o.organisatie and year(p.peilmaand) = o.jaar
),
stand as (
    select
        r.organisatie, r.jaar, r.programma, r.product, r.peilmaand, r.kalendermaand,
        sum(p.bedrag) filter (where p.soort = 'begroting' and p.is_baten) as begroting_baten,
        sum(p.bedrag) filter (where p.soort = 'begroting' and not p.is_baten) as begroting_lasten,
        sum(p.bedrag) filter (where p.soort = 'realisatie' and p.is_baten) as realisatie_baten,
        sum(p.bedrag) filter (where p.soort = 'realisatie' and not p.is_baten) as realisatie_lasten
    from rooster as r
    left join posten as p
        on p.organisatie = r.organisatie and p.jaar = r.jaar and p.programma = r.programma
        and p.product = r.product and p.datum <= last_day(r.peilmaand)
    group by all
),
begrote_jaren as (
    select organisatie, jaar, min(datum) as eerste_begrotingsdatum
    from posten
    where soort = 'begroting'
    group by all
),
stand_met_begroting as (
    select
        s.organisatie, s.jaar, s.programma, s.product, s.peilmaand,
        s.kalendermaand / 12 as f,
        case when b.eerste_begrotingsdatum <= last_day(s.peilmaand) then coalesce(s.begroting_baten, 0) end as begroting_baten,
        case when b.eerste_begrotingsdatum <= last_day(s.peilmaand) then coalesce(s.begroting_lasten, 0) end as begroting_lasten,
        coalesce(s.realisatie_baten, 0) as realisatie_baten,
        coalesce(s.realisatie_lasten, 0) as realisatie_lasten
    from stand as s
    left join begrote_jaren as b on b.organisatie = s.organisatie and b.jaar = s.jaar
),
jaarprognose as (
    select
        *,
        coalesce(
            realisatie_baten + (1 - f) ^ 2 * begroting_baten + (1 - f) * realisatie_baten, realisatie_baten / f
        ) as prognose_baten,
        coalesce(
            realisatie_lasten + (1 - f) ^ 2 * begroting_lasten + (1 - f) * realisatie_lasten, realisatie_lasten / f
        ) as prognose_lasten
    from stand_met_begroting
)
select
    j.organisatie,
    cast(j.jaar as integer) as jaar,
    strftime(j.peilmaand, '%Y-%m') as peilmaand,
    j.peilmaand as peildatum,
    j.programma,
    p.naam as programma_naam,
    j.product,
    d.naam as product_naam,
    cast(j.begroting_baten as decimal(18, 2)) as begroting_baten,
    cast(j.begroting_lasten as decimal(18, 2)) as begroting_lasten,
    cast(j.realisatie_baten as decimal(18, 2)) as realisatie_baten,
    cast(j.realisatie_lasten as decimal(18, 2)) as realisatie_lasten,
    cast(j.prognose_baten as decimal(18, 2)) as prognose_baten,
    cast(j.prognose_lasten as decimal(18, 2)) as prognose_lasten,
    cast(j.prognose_baten - j.begroting_baten as decimal(18, 2)) as afwijking_baten,
    cast(j.prognose_lasten - j.begroting_lasten as decimal(18, 2)) as afwijking_lasten
from jaarprognose as j
left join {{ ref('dim_programma') }} as p on p.organisatie = j.organisatie and p.jaar = j.jaar and p.programma = j.programma
left join {{ ref('dim_product') }} as d on d.organisatie = j.organisatie and d.jaar = j.jaar and d.product = j.product
