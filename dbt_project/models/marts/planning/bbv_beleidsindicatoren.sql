-- The two BBV beleidsindicatoren of KPIS.md per municipality (and organisation: summed numerators
-- over summed populations) for every month of the data period, and per year (the December stock).
-- Population on 1 January of the year from int_bevolking (the age groups summed from the CBS bands); where the
-- bands do not cover the group, the indicator is missing for that municipality and year (bevolking_dekt false).
with leeftijdsgroepen as (
    select 'bbv_bijstand_per_10000_18plus' as kpi
    union all
    select 'bbv_reintegratievoorzieningen_per_10000_15_64'
),
bevolking as (
    select gemeente, jaar, 'bbv_bijstand_per_10000_18plus' as kpi, inwoners_18plus as inwoners
    from {{ ref('int_bevolking') }}
    union all
    select gemeente, jaar, 'bbv_reintegratievoorzieningen_per_10000_15_64', inwoners_15_64
    from {{ ref('int_bevolking') }}
),
bijstand_personen as (
    select dossiernummer, persoonsnummer from {{ ref('int_uitkeringen') }} where regeling = 'PW'
    union
    select dossiernummer, partner_persoonsnummer from {{ ref('int_uitkeringen') }}
    where regeling = 'PW' and partner_persoonsnummer is not null
),
bijstand as (
    select s.gemeente, s.maand, count(distinct d.persoonsnummer) as aantal
    from {{ ref('fct_uitkeringen_maand') }} as s
    join bijstand_personen as d on d.dossiernummer = s.dossiernummer
    join {{ ref('int_personen') }} as p on p.persoonsnummer = d.persoonsnummer
    where p.geboortedatum + interval 18 year <= s.maand_einde
    group by all
),
voorzieningen as (
    select soort, gemeente, startdatum, einddatum from {{ ref('fct_trajecten') }}
    union all
    select soort, gemeente, startdatum, einddatum from {{ ref('fct_plaatsingen') }}
),
reintegratie as (
    select m.gemeente, m.maand, count(*) as aantal
    from voorzieningen as v
    join {{ ref('codes') }} as c on c.lijst = 'srg_type' and c.code = v.soort and c.categorie <> 'NIET'
    join {{ ref('int_maanden') }} as m
        on m.gemeente = v.gemeente and {{ loopt_op('v.startdatum', 'v.einddatum', 'm.maand_einde') }}
    group by all
),
gemeente_maand as (
    select
        m.organisatie, m.gemeente, m.maand, g.kpi,
        case g.kpi
            when 'bbv_bijstand_per_10000_18plus' then coalesce(b.aantal, 0)
            else coalesce(r.aantal, 0)
        end as teller,
        p.inwoners as noemer,
        p.inwoners is not null as bevolking_dekt
    from {{ ref('int_maanden') }} as m
    cross join leeftijdsgroepen as g
    left join bijstand as b on b.gemeente = m.gemeente and b.maand = m.maand
    left join reintegratie as r on r.gemeente = m.gemeente and r.maand = m.maand
    left join bevolking as p on p.gemeente = m.gemeente and p.jaar = year(m.maand) and p.kpi = g.kpi
),
maanden as (
    select * from gemeente_maand
    union all
    -- the organisation: summed counts over summed populations, missing when one municipality is
    select
        organisatie, null, maand, kpi, sum(teller),
        case when bool_and(bevolking_dekt) then sum(noemer) end,
        bool_and(bevolking_dekt)
    from gemeente_maand
    group by organisatie, maand, kpi
),
perioden as (
    select *, strftime(maand, '%Y-%m') as periode, 'maand' as periode_soort from maanden
    union all
    select *, strftime(maand, '%Y') as periode, 'jaar' as periode_soort from maanden where month(maand) = 12
)
select
    organisatie,
    gemeente,
    kpi,
    periode,
    periode_soort,
    cast(10000.0 * teller / nullif(noemer, 0) as double) as waarde,
    cast(teller as bigint) as teller,
    cast(noemer as bigint) as noemer,
    bevolking_dekt
from perioden
