-- uitkeringen_eindstand as an index next to the national bijstand series, as the 2018 report's
-- chart "indexcijfer aantallen dec'16 = 100": for every report year, base December of the year
-- var('benchmark_basis_jaren_terug') (default 2) years earlier, every month from the base up to
-- December of the report year. The national series (seeds/landelijk_bijstand.csv) is a December
-- figure: other months have no national value (missing, not interpolated).
with eindstand as (
    select organisatie, gemeente, cast(strptime(periode, '%Y-%m') as date) as maand, waarde
    from {{ ref('kpi') }}
    where kpi = 'uitkeringen_eindstand' and periode_soort = 'maand'
),
rapportjaren as (
    select distinct organisatie, gemeente, year(maand) as rapportjaar,
        year(maand) - {{ var('benchmark_basis_jaren_terug', 2) }} as basisjaar
    from eindstand
),
reeks as (
    select r.organisatie, r.gemeente, r.rapportjaar, r.basisjaar, e.maand, e.waarde
    from rapportjaren as r
    join eindstand as e
        on e.organisatie = r.organisatie and e.gemeente is not distinct from r.gemeente
        and e.maand between make_date(r.basisjaar, 12, 1) and make_date(r.rapportjaar, 12, 1)
),
landelijk as (
    select jaar, personen_x1000 * 1000 as personen from {{ ref('landelijk_bijstand') }}
)
select
    s.organisatie,
    s.gemeente,
    cast(s.rapportjaar as integer) as rapportjaar,
    cast(s.basisjaar as integer) as basisjaar,
    strftime(s.maand, '%Y-%m') as periode,
    cast(s.waarde as bigint) as uitkeringen_eindstand,
    cast(b.waarde as bigint) as basis_eindstand,
    cast(100 * s.waarde / nullif(b.waarde, 0) as double) as indexcijfer,
    cast(l.personen as bigint) as landelijk_personen,
    cast(100 * l.personen / nullif(lb.personen, 0) as double) as landelijk_indexcijfer
from reeks as s
left join eindstand as b
    on b.organisatie = s.organisatie and b.gemeente is not distinct from s.gemeente
    and b.maand = make_date(s.basisjaar, 12, 1)
left join landelijk as l on month(s.maand) = 12 and l.jaar = year(s.maand)
left join landelijk as lb on lb.jaar = s.basisjaar
