-- One row per organisatie, gemeente (NULL = organisation total), kpi and periode ('YYYY-MM'
-- and 'YYYY') over each organisation's data period, with the target of seeds/doelen.csv.
with maanden as (
    select
        *,
        {{ aandeel('teller', 'noemer') }} as maandaandeel
    from {{ ref('int_kpi_maand') }}
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
        noemer
    from maanden
),
per_jaar as (
    select
        organisatie,
        gemeente,
        kpi,
        berekening,
        cast(year(maand) as varchar) as periode,
        'jaar' as periode_soort,
        case berekening
            when 'telling' then cast(sum(teller) as double)
            when 'aandeel' then {{ aandeel('sum(teller)', 'sum(noemer)') }}
            when 'stand' then cast(arg_max(teller, maand) as double)
            when 'stand_aandeel' then {{ aandeel('arg_max(teller, maand)', 'arg_max(noemer, maand)') }}
            when 'gemiddelde' then avg(teller order by maand)
            when 'gemiddeld_aandeel' then avg(maandaandeel order by maand)
        end as waarde,
        case
            when berekening in ('telling', 'aandeel') then sum(teller)
            when berekening in ('stand', 'stand_aandeel') then arg_max(teller, maand)
        end as teller,
        case
            when berekening = 'aandeel' then sum(noemer)
            when berekening = 'stand_aandeel' then arg_max(noemer, maand)
        end as noemer
    from maanden
    group by organisatie, gemeente, kpi, berekening, year(maand)
),
alle as (
    select * from per_maand
    union all
    select * from per_jaar
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
