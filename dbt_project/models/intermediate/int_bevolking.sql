-- Inhabitants per municipality and year (1 January): the CBS total row (no age band) when delivered, else the
-- sum of the age bands; without raw_cbs the reference figure of seeds/bevolking_totaal.csv.
-- The age groups of the BBV indicators (KPIS.md: 18+, 15-64) are the sum of the delivered bands that exactly
-- cover them (SOURCES.md, cbs: any layout, also single years of age). A band that straddles a boundary of the
-- group (15, 18, 65), or a gap, leaves the group NULL: the indicator is missing for that municipality and year
-- and kwaliteit.dq_controle_cbs reports the layout (leeftijdsbanden).
with leeftijdsgroepen as (
    select '18plus' as groep, 18 as van, cast(null as integer) as tot
    union all
    select '15_64', 15, 64
),
banden as (
    select
        b.gemeente, b.jaar, g.groep, g.van as groep_van, g.tot as groep_tot, b.leeftijd_van, b.leeftijd_tot, b.inwoners,
        b.leeftijd_van >= g.van and (g.tot is null or b.leeftijd_tot <= g.tot) as binnen,
        (b.leeftijd_tot is null or b.leeftijd_tot >= g.van) and (g.tot is null or b.leeftijd_van <= g.tot) as overlapt
    from {{ ref('stg_cbs__bevolking') }} as b
    cross join leeftijdsgroepen as g
    where b.leeftijd_van is not null
),
groepen as (
    select
        gemeente, jaar, groep,
        case
            when
                not bool_or(overlapt and not binnen)
                and coalesce(sum(leeftijd_tot - leeftijd_van + 1) filter (where binnen and leeftijd_tot is not null), 0)
                = coalesce(any_value(groep_tot), min(leeftijd_van) filter (where binnen and leeftijd_tot is null) - 1)
                - any_value(groep_van) + 1
                then sum(inwoners) filter (where binnen)
        end as inwoners
    from banden
    group by gemeente, jaar, groep
),
cbs as (
    select
        gemeente,
        jaar,
        coalesce(
            max(case when leeftijd_van is null and leeftijd_tot is null then inwoners end),
            sum(inwoners) filter (where leeftijd_van is not null)
        ) as inwoners,
        string_agg(leeftijd_van || '-' || coalesce(cast(leeftijd_tot as varchar), ''), ', ' order by leeftijd_van)
            filter (where leeftijd_van is not null) as leeftijdsbanden
    from {{ ref('stg_cbs__bevolking') }}
    group by gemeente, jaar
),
referentie as (
    select gemeente, cast(year(peildatum) as integer) as jaar, inwoners
    from {{ ref('bevolking_totaal') }}
)
select
    c.gemeente, c.jaar, c.inwoners, 'cbs' as bron, c.leeftijdsbanden,
    a.inwoners as inwoners_18plus,
    w.inwoners as inwoners_15_64
from cbs as c
left join groepen as a on a.gemeente = c.gemeente and a.jaar = c.jaar and a.groep = '18plus'
left join groepen as w on w.gemeente = c.gemeente and w.jaar = c.jaar and w.groep = '15_64'
union all
select
    r.gemeente, r.jaar, r.inwoners, 'seeds/bevolking_totaal.csv' as bron, null as leeftijdsbanden,
    null as inwoners_18plus, null as inwoners_15_64
from referentie as r
where not exists (select 1 from cbs where cbs.gemeente = r.gemeente)
