-- One row per organisatie, gemeente (NULL = organisation total), kpi and periode over each
-- organisation's data period, with the target of seeds/doelen.csv. Periods: every month
-- ('YYYY-MM'), every year ('YYYY') and every range ('YYYY-MM/YYYY-MM', KPIS.md "Period ranges"):
-- the year to date of every month, and every range of the targets and calibration figures that
-- lies within the data period. Ranges aggregate like years, except that stocks have no range row.
-- The BBV beleidsindicatoren (berekening per_10000: a stock per 10,000 inhabitants) come from
-- marts.bbv_beleidsindicatoren, per month and year; missing where the population bands do not cover.
-- 'som' (a sum of fractions, e.g. fte): teller over the fixed scale in noemer, periods summing teller.
-- medewerkers: the average headcount of an absence KPI's population (persoon_dagen over the days of the
-- months), by which published exports suppress small absence cells.
with maanden as (
    select
        *,
        {{ aandeel('teller', 'noemer') }} as maandaandeel
    from {{ ref('int_kpi_maand_alle') }}
),
dataperiode as (
    select organisatie, min(maand) as eerste_maand, max(maand) as laatste_maand
    from maanden
    group by organisatie
),
referentiebereiken as (
    select
        periode,
        cast(strptime(split_part(periode, '/', 1), '%Y-%m') as date) as van,
        cast(strptime(split_part(periode, '/', 2), '%Y-%m') as date) as tot
    from (
        select periode from {{ ref('doelen') }}
        union
        select periode from {{ ref('kalibratie') }}
    )
    where periode like '%/%'
),
perioden as (
    select distinct
        organisatie,
        cast(year(maand) as varchar) as periode,
        'jaar' as periode_soort,
        cast(date_trunc('year', maand) as date) as van,
        cast(date_trunc('year', maand) + interval 11 month as date) as tot
    from maanden
    union
    select distinct
        organisatie,
        strftime(date_trunc('year', maand), '%Y-%m') || '/' || strftime(maand, '%Y-%m'),
        'bereik',
        cast(date_trunc('year', maand) as date),
        maand
    from maanden
    union
    select d.organisatie, r.periode, 'bereik', r.van, r.tot
    from referentiebereiken as r
    join dataperiode as d on r.van >= d.eerste_maand and r.tot <= d.laatste_maand
),
per_maand as (
    select
        organisatie,
        gemeente,
        kpi,
        berekening,
        strftime(maand, '%Y-%m') as periode,
        'maand' as periode_soort,
        case
            when berekening in ('telling', 'stand') then cast(teller as double)
            when berekening = 'gemiddelde' then avg(teller) over (
                partition by organisatie, gemeente, kpi, year(maand) order by maand rows unbounded preceding
            )
            else maandaandeel
        end as waarde,
        teller,
        noemer,
        persoon_dagen / day(last_day(maand)) as medewerkers
    from maanden
),
per_periode as (
    select
        m.organisatie,
        m.gemeente,
        m.kpi,
        m.berekening,
        p.periode,
        p.periode_soort,
        case m.berekening
            when 'telling' then cast(sum(m.teller) as double)
            when 'aandeel' then {{ aandeel('sum(m.teller)', 'sum(m.noemer)') }}
            when 'stand' then cast(arg_max(m.teller, m.maand) as double)
            when 'stand_aandeel' then {{ aandeel('arg_max(m.teller, m.maand)', 'arg_max(m.noemer, m.maand)') }}
            when 'gemiddelde' then avg(m.teller order by m.maand)
            when 'gemiddeld_aandeel' then avg(m.maandaandeel order by m.maand)
            when 'som' then {{ aandeel('sum(m.teller)', 'max(m.noemer)') }}
        end as waarde,
        case
            when m.berekening in ('telling', 'aandeel', 'som') then sum(m.teller)
            when m.berekening in ('stand', 'stand_aandeel') then arg_max(m.teller, m.maand)
        end as teller,
        case
            when m.berekening = 'aandeel' then sum(m.noemer)
            when m.berekening = 'stand_aandeel' then arg_max(m.noemer, m.maand)
            when m.berekening = 'som' then max(m.noemer)
        end as noemer,
        sum(m.persoon_dagen) / sum(day(last_day(m.maand))) as medewerkers
    from maanden as m
    join perioden as p
        on p.organisatie = m.organisatie and m.maand between p.van and p.tot
    -- a stock is defined on month ends only; its year value is the year's last month
    where p.periode_soort = 'jaar' or m.berekening not in ('stand', 'stand_aandeel')
    group by m.organisatie, m.gemeente, m.kpi, m.berekening, p.periode, p.periode_soort
),
bbv as (
    select organisatie, gemeente, kpi, 'per_10000' as berekening, periode, periode_soort, waarde, teller, noemer,
           null as medewerkers
    from {{ ref('bbv_beleidsindicatoren') }}
),
zaken_perioden as (
    -- every period of marts.kpi with its months, for the zaken KPIs counted per whole period
    select distinct organisatie, strftime(maand, '%Y-%m') as periode, 'maand' as periode_soort, maand as van,
                    maand as tot
    from maanden
    union all
    select organisatie, periode, periode_soort, van, tot from perioden
),
zaken_personen as (
    -- KPIS.md, Cases: a person once per period, in the municipality (and kindpakket income source) of
    -- their latest zaak in the period (by date, then identificatie)
    select
        p.organisatie,
        p.periode,
        p.periode_soort,
        z.groep,
        z.persoon,
        arg_max(z.kpi, (z.datum, z.identificatie)) as kpi,
        arg_max(z.gemeente, (z.datum, z.identificatie)) as gemeente
    from {{ ref('int_kpi_personen_zaken') }} as z
    join zaken_perioden as p
        on p.organisatie = z.organisatie and cast(date_trunc('month', z.datum) as date) between p.van and p.tot
    group by all
),
zaken_persoon_kpis as (
    select organisatie, gemeente, kpi, 'telling' as berekening, periode, periode_soort, count(*) as waarde,
           count(*) as teller, null as noemer, null as medewerkers
    from zaken_personen
    where kpi is not null and gemeente is not null
    group by all
    union all
    select organisatie, null, kpi, 'telling', periode, periode_soort, count(*), count(*), null, null
    from zaken_personen
    where kpi is not null
    group by all
),
klachten_mutatie as (
    -- klachten_aantal against the equally long period just before it, minus 1; missing when that
    -- period is not wholly in the data or had no complaints
    select
        p.organisatie,
        m.gemeente,
        'klachten_aantal_mutatie' as kpi,
        'mutatie' as berekening,
        p.periode,
        p.periode_soort,
        {{ aandeel('sum(m.teller) filter (where m.maand >= p.van)', 'sum(m.teller) filter (where m.maand < p.van)') }}
        - 1 as waarde,
        sum(m.teller) filter (where m.maand >= p.van) as teller,
        sum(m.teller) filter (where m.maand < p.van) as noemer,
        null as medewerkers
    from zaken_perioden as p
    join maanden as m
        on
            m.organisatie = p.organisatie and m.kpi = 'klachten_aantal'
            and m.maand between p.van - to_months(datediff('month', p.van, p.tot) + 1) and p.tot
    group by p.organisatie, m.gemeente, p.periode, p.periode_soort, p.van, p.tot
    having count(*) filter (where m.maand < p.van) = datediff('month', p.van, p.tot) + 1
),
alle as (
    select * from per_maand
    union all
    select * from per_periode
    union all
    select * from bbv
    union all
    select * from zaken_persoon_kpis
    union all
    select * from klachten_mutatie
)
select
    a.organisatie,
    a.gemeente,
    a.kpi,
    a.periode,
    a.periode_soort,
    a.berekening,
    cast(a.waarde as double) as waarde,
    cast(a.teller as bigint) as teller,
    cast(a.noemer as bigint) as noemer,
    cast(a.medewerkers as double) as medewerkers,
    d.norm,
    d.richting,
    case
        when d.norm is null or a.waarde is null then null
        when d.richting = 'max' then a.waarde <= d.norm
        when d.richting = 'min' then a.waarde >= d.norm
    end as op_koers
from alle as a
left join {{ ref('doelen') }} as d
    on d.organisatie = a.organisatie
    and d.gemeente is not distinct from a.gemeente
    and d.kpi = a.kpi
    and d.periode = a.periode
