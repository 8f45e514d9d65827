-- Realisation and budget per organisation, year and programme in euros (baten positive,
-- lasten negative). Realisation: income-statement entries, duplicates and reversal pairs
-- excluded. Budget: primary budget plus all its changes. Entries without programma: 'ONBEKEND'.
with realisatie as (
    select
        g.organisatie, g.jaar, g.programma,
        sum(g.bedrag) filter (where r.is_baten) as realisatie_baten,
        sum(g.bedrag) filter (where not r.is_baten) as realisatie_lasten
    from {{ ref('fct_grootboek') }} as g
    join {{ ref('dim_grootboekrekening') }} as r
        on r.organisatie = g.organisatie and r.gl_account_no = g.gl_account_no
    where g.telt_in_realisatie
    group by all
),
begroting as (
    select
        b.organisatie, b.jaar, b.programma,
        sum(b.bedrag) filter (where r.is_baten) as begroting_baten,
        sum(b.bedrag) filter (where not r.is_baten) as begroting_lasten
    from {{ ref('fct_begroting') }} as b
    join {{ ref('dim_grootboekrekening') }} as r
        on r.organisatie = b.organisatie and r.gl_account_no = b.gl_account_no
    group by all
),
sleutels as (
    select organisatie, jaar, programma from realisatie
    union
    select organisatie, jaar, programma from begroting
)
select
    s.organisatie,
    cast(s.jaar as integer) as jaar,
    s.programma,
    p.naam as programma_naam,
    cast(coalesce(r.realisatie_baten, 0) as decimal(18, 2)) as realisatie_baten,
    cast(coalesce(r.realisatie_lasten, 0) as decimal(18, 2)) as realisatie_lasten,
    cast(coalesce(r.realisatie_baten, 0) + coalesce(r.realisatie_lasten, 0) as decimal(18, 2)) as realisatie_saldo,
    cast(coalesce(b.begroting_baten, 0) as decimal(18, 2)) as begroting_baten,
    cast(coalesce(b.begroting_lasten, 0) as decimal(18, 2)) as begroting_lasten,
    cast(coalesce(b.begroting_baten, 0) + coalesce(b.begroting_lasten, 0) as decimal(18, 2)) as begroting_saldo
from sleutels as s
left join realisatie as r on r.organisatie = s.organisatie and r.jaar = s.jaar and r.programma = s.programma
left join begroting as b on b.organisatie = s.organisatie and b.jaar = s.jaar and b.programma = s.programma
left join {{ ref('dim_programma') }} as p on p.organisatie = s.organisatie and p.jaar = s.jaar and p.programma = s.programma
