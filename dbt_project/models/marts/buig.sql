-- BUIG budget (seeds/buig_budget.csv, x 1.000 -> euros) against the realised benefit lasten per
-- municipality and year. Benefit accounts: income-statement posting accounts whose name contains
-- 'uitkering' (case-insensitive). Civision payments (P, N, C, T) alongside for reconciliation.
with lasten as (
    select organisatie, gemeente, jaar, sum(bedrag) as uitkeringslasten
    from {{ ref('fct_grootboek') }}
    where telt_in_realisatie and is_uitkeringsrekening and gemeente is not null
    group by all
),
betalingen as (
    select organisatie, gemeente, cast(year(periode) as integer) as jaar, sum(bedrag) as betalingen_civision
    from {{ ref('fct_betalingen') }}
    where gemeente is not null
    group by all
),
budget as (
    select b.gemeente, g.organisatie, b.jaar, b.bedrag_x1000 * 1000 as buig_budget, b.status
    from {{ ref('buig_budget') }} as b
    join {{ ref('gemeenten') }} as g on g.cbs_code = b.gemeente
),
sleutels as (
    select organisatie, gemeente, jaar from lasten
    union
    select organisatie, gemeente, jaar from budget
)
select
    s.organisatie,
    s.gemeente,
    cast(s.jaar as integer) as jaar,
    cast(b.buig_budget as decimal(18, 2)) as buig_budget,
    b.status as buig_status,
    cast(coalesce(l.uitkeringslasten, 0) as decimal(18, 2)) as uitkeringslasten,
    cast(b.buig_budget + coalesce(l.uitkeringslasten, 0) as decimal(18, 2)) as buig_saldo,
    cast(p.betalingen_civision as decimal(18, 2)) as betalingen_civision
from sleutels as s
left join budget as b on b.gemeente = s.gemeente and b.jaar = s.jaar
left join lasten as l on l.gemeente = s.gemeente and l.jaar = s.jaar
left join betalingen as p on p.gemeente = s.gemeente and p.jaar = s.jaar
