{{ config(materialized='table', schema='semantic') }}
-- The month grid of each organisation's data period per municipality (int_maanden) with the
-- month-end stands that *_gemiddeld metrics average: small, so the year-to-date sums are cheap,
-- and a month whose stand is zero still counts as a month.
with uitkeringen as (
    select gemeente, maand, count(*) as eindstand
    from {{ ref('sem_uitkeringen_maand') }}
    group by all
),
lks as (
    select gemeente, maand, count(*) as eindstand
    from {{ ref('sem_plaatsingen_maand') }}
    where soort = 'LKS_BANENAFSPRAAK'
    group by all
)
select
    m.organisatie,
    m.gemeente,
    m.maand,
    coalesce(u.eindstand, 0) as uitkeringen_eindstand,
    coalesce(l.eindstand, 0) as lks_banenafspraak_eindstand
from {{ ref('int_maanden') }} as m
left join uitkeringen as u on u.gemeente = m.gemeente and u.maand = m.maand
left join lks as l on l.gemeente = m.gemeente and l.maand = m.maand
