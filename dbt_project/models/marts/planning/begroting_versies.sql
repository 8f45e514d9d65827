-- The budget after each version, cumulative: per organisation and year its versions in order (the
-- primary budget B2018, then its changes B2018-W1, B2018-W2 ... by number), and for every programme
-- and product budgeted that year the baten and lasten after that version, so "begroting t/m 3e
-- wijziging" is one select.
with regels as (
    select * from {{ ref('fct_financien_posten') }} where soort = 'begroting'
),
versies as (
    select
        organisatie,
        jaar,
        versie,
        min(datum) as begrotingsdatum,
        row_number() over (
            partition by organisatie, jaar
            order by versie like '%-%', try_cast(regexp_extract(versie, '-W?(\d+)$', 1) as integer), versie
        ) - 1 as wijziging
    from regels
    group by organisatie, jaar, versie
),
mutaties as (
    select
        organisatie, jaar, versie, programma, product,
        sum(bedrag) filter (where is_baten) as baten,
        sum(bedrag) filter (where not is_baten) as lasten
    from regels
    group by all
),
onderdelen as (
    select distinct organisatie, jaar, programma, product from regels
),
rooster as (
    select
        o.organisatie, o.jaar, o.programma, o.product, v.versie, v.wijziging, v.begrotingsdatum,
        coalesce(m.baten, 0) as mutatie_baten,
        coalesce(m.lasten, 0) as mutatie_lasten
    from onderdelen as o
    join versies as v on v.organisatie = o.organisatie and v.jaar = o.jaar
    left join mutaties as m
        on m.organisatie = o.organisatie and m.jaar = o.jaar and m.versie = v.versie
        and m.programma = o.programma and m.product = o.product
)
select
    r.organisatie,
    cast(r.jaar as integer) as jaar,
    r.programma,
    p.naam as programma_naam,
    r.product,
    d.naam as product_naam,
    r.versie,
    cast(r.wijziging as integer) as wijziging,
    r.wijziging = max(r.wijziging) over (partition by r.organisatie, r.jaar) as is_laatste_versie,
    r.begrotingsdatum,
    cast(r.mutatie_baten as decimal(18, 2)) as mutatie_baten,
    cast(r.mutatie_lasten as decimal(18, 2)) as mutatie_lasten,
    cast(sum(r.mutatie_baten) over cumulatief as decimal(18, 2)) as baten,
    cast(sum(r.mutatie_lasten) over cumulatief as decimal(18, 2)) as lasten,
    cast(sum(r.mutatie_baten + r.mutatie_lasten) over cumulatief as decimal(18, 2)) as saldo
from rooster as r
left join {{ ref('dim_programma') }} as p on p.organisatie = r.organisatie and p.jaar = r.jaar and p.programma = r.programma
left join {{ ref('dim_product') }} as d on d.organisatie = r.organisatie and d.jaar = r.jaar and d.product = r.product
window cumulatief as (partition by r.organisatie, r.jaar, r.programma, r.product order by r.wijziging)
