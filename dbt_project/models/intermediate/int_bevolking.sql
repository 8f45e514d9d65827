-- Inhabitants per municipality and year: the CBS total row (no age band) when delivered,
-- else the sum of the age bands; without raw_cbs the reference figure of seeds/bevolking_totaal.csv.
with cbs as (
    select
        gemeente,
        jaar,
        coalesce(
            max(case when leeftijd_van is null and leeftijd_tot is null then inwoners end),
            sum(inwoners) filter (where leeftijd_van is not null)
        ) as inwoners
    from {{ ref('stg_cbs__bevolking') }}
    group by gemeente, jaar
),
referentie as (
    select gemeente, cast(year(peildatum) as integer) as jaar, inwoners
    from {{ ref('bevolking_totaal') }}
)
select gemeente, jaar, inwoners, 'cbs' as bron from cbs
union all
select r.gemeente, r.jaar, r.inwoners, 'seeds/bevolking_totaal.csv' as bron
from referentie as r
where not exists (select 1 from cbs where cbs.gemeente = r.gemeente)
