-- The staff and absence KPIs (KPIS.md, "Staff and absence") per month in the shape of int_kpi_maand.
-- Day weights are fractions, so teller and noemer are scaled to whole numbers: absence and available
-- weight in millionths of an fte-day, Wsw fte as fte-days over days and formatie as fte over 1, both
-- in ten-thousandths. 'aandeel' then recomputes every year and range from the summed weights, and
-- 'stand_aandeel' takes the month end. Organisation-only populations have only rows without gemeente.
-- verzuimfrequentie is sick reports times 365 over population days (the average headcount times the
-- days of the period). The fte of Wsw moves is a sum of fractions: berekening 'som', teller in
-- ten-thousandths over the scale. The absence rows carry persoon_dagen, from which marts.kpi takes
-- the population's average headcount (published exports suppress cells under 10 employees).
with maanden as (
    select f.*
    from {{ ref('fct_personeel_maand') }} as f
    join {{ ref('int_organisatie_periode') }} as p
        on p.organisatie = f.organisatie and f.maand between p.eerste_maand and p.laatste_maand
),
-- population P of KPIS.md: its soorten, and whether it also has municipality rows
populaties as (
    select
        lower(soort) as populatie,
        soort,
        soort <> 'AMBTELIJK' as per_gemeente
    from (select unnest(['AMBTELIJK', 'WSW', 'BESCHUT', 'DOELGROEP']) as soort) as soorten
    union all
    select 'wsw_beschut', unnest(['WSW', 'BESCHUT']), true
    union all
    select 'totaal', unnest(['AMBTELIJK', 'WSW', 'BESCHUT', 'DOELGROEP']), false
),
-- a row counts for its municipality (where the KPI has municipality rows) and for the organisation
niveaus as (
    select m.*, p.populatie, m.gemeente as niveau_gemeente
    from maanden as m
    join populaties as p on p.soort = m.soort
    where p.per_gemeente and m.gemeente is not null
    union all
    select m.*, p.populatie, null
    from maanden as m
    join populaties as p on p.soort = m.soort
),
verzuim as (
    select
        organisatie, niveau_gemeente as gemeente, maand, 'verzuimpercentage_' || populatie as kpi,
        sum(verzuim_fte_dagen) as teller, sum(beschikbaar_fte_dagen) as noemer, sum(persoon_dagen) as persoon_dagen,
        sum(verzuimmeldingen) as meldingen
    from niveaus
    group by all
),
verzuim_unit as (
    select organisatie, null as gemeente, maand, 'verzuimpercentage_ambtelijk_unit_' || lower(unit_code) as kpi,
           sum(verzuim_fte_dagen) as teller, sum(beschikbaar_fte_dagen) as noemer, sum(persoon_dagen) as persoon_dagen
    from maanden
    where soort = 'AMBTELIJK'
    group by all
),
wsw as (
    select *
    from niveaus
    where populatie = 'wsw' and werksoort_groep in ('PRODUCTIE', 'DIENSTEN', 'DETACHERING', 'BEGELEID_WERKEN')
),
sw_fte as (
    select
        organisatie, niveau_gemeente as gemeente, maand, unnest(['sw_fte', 'sw_fte_' || lower(werksoort_groep)]) as kpi,
        fte_dagen
    from wsw
),
sw_fte_maand as (
    select organisatie, gemeente, maand, kpi, sum(fte_dagen) as fte_dagen, day(last_day(maand)) as dagen
    from sw_fte
    group by all
),
sw_stromen as (
    select
        organisatie, niveau_gemeente as gemeente, maand,
        sum(doorstroom_extern_fte) as doorstroom_extern_fte,
        sum(terugstroom_intern_fte) as terugstroom_intern_fte,
        sum(naar_begeleid_werken) as naar_begeleid_werken
    from wsw
    group by all
),
formatie as (
    select organisatie, null as gemeente, maand, 'formatie_fte' as kpi, sum(formatie_fte) as fte
    from maanden
    where soort = 'AMBTELIJK'
    group by all
)
select organisatie, gemeente, maand, kpi, 'aandeel' as berekening,
       cast(round(teller * 1000000) as bigint) as teller, cast(round(noemer * 1000000) as bigint) as noemer,
       cast(persoon_dagen as bigint) as persoon_dagen
from verzuim
union all
select organisatie, gemeente, maand, replace(kpi, 'verzuimpercentage_', 'verzuimfrequentie_'), 'aandeel',
       cast(meldingen * 365 as bigint), cast(persoon_dagen as bigint), cast(persoon_dagen as bigint)
from verzuim
union all
select organisatie, gemeente, maand, kpi, 'aandeel',
       cast(round(teller * 1000000) as bigint), cast(round(noemer * 1000000) as bigint),
       cast(persoon_dagen as bigint)
from verzuim_unit
union all
select organisatie, gemeente, maand, kpi, 'aandeel', cast(round(fte_dagen * 10000) as bigint), dagen * 10000, null
from sw_fte_maand
union all
select organisatie, gemeente, maand, kpi, 'stand_aandeel', cast(round(fte * 10000) as bigint), 10000, null
from formatie
union all
select organisatie, gemeente, maand, 'sw_doorstroom_extern_fte', 'som', cast(round(doorstroom_extern_fte * 10000) as bigint),
       10000, null
from sw_stromen
union all
select organisatie, gemeente, maand, 'sw_terugstroom_intern_fte', 'som', cast(round(terugstroom_intern_fte * 10000) as bigint),
       10000, null
from sw_stromen
union all
select organisatie, gemeente, maand, 'sw_naar_begeleid_werken', 'telling', naar_begeleid_werken, null, null
from sw_stromen
