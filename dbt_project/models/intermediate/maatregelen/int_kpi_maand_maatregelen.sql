-- The maatregel KPIs (KPIS.md, Policy measures) per month in the shape of int_kpi_maand, for every
-- measure and reeks X of reference/maatregelen.csv: deelnemers, uitstroom, werk, minder_instroom and
-- geactiveerd. Each event counts under the deelnemer's municipality (that of the first tagged record)
-- and for the organisation. Every KPI has a row (0 when nothing happened) for every month of the
-- organisation's data period from the month X starts.
with deelnemers as (
    select * from {{ ref('int_maatregel_deelnemers') }}
),
dossiers as (
    select organisatie, x, pseudoniem, deelnemer_gemeente as gemeente, deelname_start, dossiernummer, einddatum,
           is_werk
    from {{ ref('int_maatregel_dossiers') }}
),
inkomsten as (
    -- periodes of a dossier with a P payment with verrekende inkomsten
    select distinct dossiernummer, periode
    from {{ ref('fct_betalingen') }}
    where soort = 'P' and verrekende_inkomsten > 0
),
deeltijdwerk as (
    -- the start of part-time work: a periode with inkomsten after three periodes without
    select dossiernummer, periode
    from inkomsten
    qualify coalesce(
        lag(periode) over (partition by dossiernummer order by periode) < periode - interval 3 month, true
    )
),
werk as (
    select organisatie, x, pseudoniem, gemeente, min(datum) as datum
    from (
        select organisatie, x, pseudoniem, gemeente, einddatum as datum
        from dossiers
        where is_werk
        union all
        select d.organisatie, d.x, d.pseudoniem, d.gemeente, w.periode
        from deelnemers as d
        join {{ ref('fct_uitkeringen') }} as u on d.pseudoniem in (u.aanvrager, u.partner)
        join deeltijdwerk as w on w.dossiernummer = u.dossiernummer
        where w.periode >= date_trunc('month', d.deelname_start)
    ) as gebeurtenissen
    group by all
),
minder_instroom as (
    -- meldingen of a deelnemer followed within 28 days by an X-tagged RWO trajectory, not ended in a benefit
    select distinct d.organisatie, d.x, d.gemeente, m.meldingsnummer, m.meldingsdatum
    from deelnemers as d
    join {{ ref('fct_meldingen') }} as m on m.aanvrager = d.pseudoniem
    join {{ ref('fct_trajecten') }} as t
        on
            t.pseudoniem = d.pseudoniem and t.soort = 'RWO'
            and coalesce(t.startdatum, t.aangemeld_op) between m.meldingsdatum and m.meldingsdatum + 28
    join {{ ref('int_maatregel_x') }} as mx
        on mx.organisatie = d.organisatie and mx.x = d.x and mx.maatregel_code = t.maatregel_code
    where m.besluit <> 'TOEGEKEND'
),
gebeurtenissen as (
    select organisatie, gemeente, 'maatregel_deelnemers_' || x as kpi, deelname_start as datum
    from deelnemers
    union all
    select organisatie, gemeente, 'maatregel_uitstroom_' || x, einddatum
    from dossiers
    where einddatum is not null
    -- a dossier once, also when both partners take part: under the deelnemer who started first
    qualify row_number() over (partition by organisatie, x, dossiernummer order by deelname_start, pseudoniem) = 1
    union all
    select organisatie, gemeente, 'maatregel_werk_' || x, datum
    from werk
    union all
    select organisatie, gemeente, 'maatregel_geactiveerd_' || x, geactiveerd_op
    from deelnemers
    where geactiveerd_op is not null
    union all
    select organisatie, gemeente, 'maatregel_minder_instroom_' || x, meldingsdatum
    from minder_instroom
),
tellingen as (
    select organisatie, gemeente, cast(date_trunc('month', datum) as date) as maand, kpi, count(*) as teller
    from gebeurtenissen
    where gemeente is not null
    group by all
    union all
    select organisatie, null, cast(date_trunc('month', datum) as date), kpi, count(*)
    from gebeurtenissen
    group by all
),
kpis as (
    select distinct mx.organisatie, 'maatregel_' || k.soort || '_' || mx.x as kpi, mx.startdatum
    from {{ ref('int_maatregel_x') }} as mx
    cross join unnest(['deelnemers', 'uitstroom', 'werk', 'minder_instroom', 'geactiveerd']) as k (soort)
),
rooster as (
    select organisatie, gemeente, maand from {{ ref('int_maanden') }}
    union all
    select distinct organisatie, null, maand from {{ ref('int_maanden') }}
)
select
    r.organisatie,
    r.gemeente,
    r.maand,
    k.kpi,
    'telling' as berekening,
    coalesce(t.teller, 0) as teller,
    cast(null as bigint) as noemer
from rooster as r
join kpis as k on k.organisatie = r.organisatie and r.maand >= date_trunc('month', k.startdatum)
left join tellingen as t
    on t.organisatie = r.organisatie and t.gemeente is not distinct from r.gemeente and t.maand = r.maand and t.kpi = k.kpi
