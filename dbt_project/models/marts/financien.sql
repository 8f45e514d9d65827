-- Realisation and budget per organisation, year and programme in euros (baten positive,
-- lasten negative), from fct_financien_posten (the realisation and budget rules). Budget: primary
-- budget plus all its changes.
with realisatie as (
    select
        organisatie, jaar, programma,
        sum(bedrag) filter (where is_baten) as realisatie_baten,
        sum(bedrag) filter (where not is_baten) as realisatie_lasten
    from {{ ref('fct_financien_posten') }}
    where soort = 'realisatie'
    group by all
),
begroting as (
    select
        organisatie, jaar, programma,
        sum(bedrag) filter (where is_baten) as begroting_baten,
        sum(bedrag) filter (where not is_baten) as begroting_lasten
    from {{ ref('fct_financien_posten') }}
    where soort = 'begroting'
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
