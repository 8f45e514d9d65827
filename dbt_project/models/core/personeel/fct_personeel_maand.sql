-- Staff and absence per month as day weights (KPIS.md, "Staff and absence"), per organisation,
-- municipality of the indication, soort, unit and werksoort_groep; never per person.
--   fte_dagen            sum over the month's days of the fte of valid rows (Wsw fte, begeleid werken included)
--   beschikbaar_fte_dagen  the same over population rows: no begeleid werken, registered days only
--   verzuim_fte_dagen    fte * percentage / 100 of ZIEKTE and ZIEKTE_ZWANGERSCHAP lines on valid population
--                        days up to the extraction date; lines of one dienstverband summed, capped at 100
--   formatie_fte         fte of the rows valid on month end
--   persoon_dagen        population days: per valid registered population row one per day (the average
--                        headcount of verzuimfrequentie; a person counts once per row, so twice only on the
--                        rare days with two dienstverbanden in one cell)
--   verzuimmeldingen     absence cases (not WAZO) with eerste_ziektedag in the month, in the cell of the
--                        population row valid on that day
--   doorstroom_extern_fte, terugstroom_intern_fte, naar_begeleid_werken: Wsw moves between internal and
--                        external work on a day d of the month (the person's WSW row on d against the one
--                        on d-1), in the cell of the new row; naar_begeleid_werken counts persons
-- Months that end after the latest extraction are not computed.
with extractie as (
    select max(levering) as datum
    from {{ source('raw_meta', 'leveringen') }}
    where systeem = 'hr' and object = 'dienstverbanden' and rijen > 0
),
rijen as (
    select
        d.*,
        greatest(d.geldig_van, d.ingangsdatum) as van,
        least(coalesce(d.geldig_tot, e.datum - 1), coalesce(d.einddatum, e.datum - 1), e.datum - 1) as tot,
        -- absence registered from (SOURCES.md, hr); IGSD from the start of its delivered history
        case
            when d.organisatie = 'SOW' and d.soort in ('BESCHUT', 'DOELGROEP') then date '2023-01-01'
            when d.organisatie = 'SOW' then date '2015-07-01'
            else date '1900-01-01'
        end as geregistreerd_vanaf,
        coalesce(d.werksoort_groep, '') <> 'BEGELEID_WERKEN' as populatie
    from {{ ref('stg_hr__dienstverbanden') }} as d
    cross join extractie as e
),
maanden_per_rij as (
    select
        *,
        cast(unnest(generate_series(date_trunc('month', van), date_trunc('month', tot), interval 1 month)) as date) as maand
    from rijen
    where tot >= van
),
rij_maanden as (
    select
        *,
        last_day(maand) as maand_einde,
        greatest(van, maand) as dag_van,
        least(tot, last_day(maand)) as dag_tot
    from maanden_per_rij
),
beschikbaar as (
    select
        organisatie, gemeente, soort, unit_code, werksoort_groep, maand,
        sum(fte * (dag_tot - dag_van + 1)) as fte_dagen,
        sum(case when populatie then fte * greatest(dag_tot - greatest(dag_van, geregistreerd_vanaf) + 1, 0) else 0 end)
            as beschikbaar_fte_dagen,
        sum(case when tot >= maand_einde then fte else 0 end) as formatie_fte,
        sum(case when populatie then greatest(dag_tot - greatest(dag_van, geregistreerd_vanaf) + 1, 0) else 0 end)
            as persoon_dagen
    from rij_maanden
    group by all
),
verzuimregeldagen as (
    select
        v.medewerker,
        v.dienstverband,
        v.percentage,
        cast(unnest(generate_series(
            v.ingangsdatum, least(coalesce(v.einddatum, e.datum - 1), e.datum - 1), interval 1 day
        )) as date) as dag
    from {{ ref('stg_hr__verzuim') }} as v
    cross join extractie as e
    where v.soort in ('ZIEKTE', 'ZIEKTE_ZWANGERSCHAP') and v.percentage > 0
),
verzuimdagen as (
    -- one row per dienstverband and day: percentages of overlapping lines summed, capped at 100
    select medewerker, dienstverband, dag, least(sum(percentage), 100) as percentage
    from verzuimregeldagen
    group by all
),
verzuim as (
    select
        r.organisatie, r.gemeente, r.soort, r.unit_code, r.werksoort_groep,
        cast(date_trunc('month', z.dag) as date) as maand,
        sum(r.fte * z.percentage / 100) as verzuim_fte_dagen
    from verzuimdagen as z
    join rijen as r
        on r.medewerker = z.medewerker
        and r.dienstverband = z.dienstverband
        and z.dag between greatest(r.van, r.geregistreerd_vanaf) and r.tot
    where r.populatie
    group by all
),
meldingen as (
    select
        r.organisatie, r.gemeente, r.soort, r.unit_code, r.werksoort_groep,
        cast(date_trunc('month', v.eerste_ziektedag) as date) as maand,
        count(distinct v.verzuimnummer) as verzuimmeldingen
    from {{ ref('stg_hr__verzuim') }} as v
    join rijen as r
        on r.medewerker = v.medewerker
        and r.dienstverband = v.dienstverband
        and v.eerste_ziektedag between greatest(r.van, r.geregistreerd_vanaf) and r.tot
    where r.populatie and v.soort <> 'WAZO'
    group by all
),
-- Wsw moves (KPIS.md sw_doorstroom_extern_fte and following): the row valid on its first day d
-- against the same person's row valid on d-1
overgangen as (
    select
        n.organisatie, n.gemeente, n.soort, n.unit_code, n.werksoort_groep, n.medewerker, n.fte,
        cast(date_trunc('month', n.van) as date) as maand,
        n.werksoort_groep in ('DETACHERING', 'BEGELEID_WERKEN') as nieuw_extern,
        o.werksoort_groep in ('DETACHERING', 'BEGELEID_WERKEN') as oud_extern,
        n.werksoort_groep in ('PRODUCTIE', 'DIENSTEN') as nieuw_intern,
        o.werksoort_groep in ('PRODUCTIE', 'DIENSTEN') as oud_intern,
        o.soort = 'WSW' as oud_wsw,
        o.werksoort_groep = 'BEGELEID_WERKEN' as oud_begeleid
    from rijen as n
    join rijen as o
        on o.medewerker = n.medewerker
        and n.van - 1 between o.van and o.tot
    where n.soort = 'WSW' and n.tot >= n.van and o.werksoort_groep is not null
),
stromen as (
    select
        organisatie, gemeente, soort, unit_code, werksoort_groep, maand,
        sum(case when oud_wsw and oud_intern and nieuw_extern then fte else 0 end) as doorstroom_extern_fte,
        sum(case when oud_wsw and oud_extern and nieuw_intern then fte else 0 end) as terugstroom_intern_fte,
        count(distinct case
            when werksoort_groep = 'BEGELEID_WERKEN' and not oud_begeleid then medewerker
        end) as naar_begeleid_werken
    from overgangen
    group by all
)
select
    b.organisatie,
    b.gemeente,
    b.soort,
    b.unit_code,
    b.werksoort_groep,
    b.maand,
    cast(b.fte_dagen as decimal(18, 4)) as fte_dagen,
    cast(b.beschikbaar_fte_dagen as decimal(18, 4)) as beschikbaar_fte_dagen,
    cast(coalesce(v.verzuim_fte_dagen, 0) as decimal(18, 6)) as verzuim_fte_dagen,
    cast(b.formatie_fte as decimal(18, 4)) as formatie_fte,
    b.persoon_dagen,
    coalesce(m.verzuimmeldingen, 0) as verzuimmeldingen,
    cast(coalesce(s.doorstroom_extern_fte, 0) as decimal(18, 4)) as doorstroom_extern_fte,
    cast(coalesce(s.terugstroom_intern_fte, 0) as decimal(18, 4)) as terugstroom_intern_fte,
    coalesce(s.naar_begeleid_werken, 0) as naar_begeleid_werken
from beschikbaar as b
left join verzuim as v on {{ zelfde_cel('v', 'b') }}
left join meldingen as m on {{ zelfde_cel('m', 'b') }}
left join stromen as s on {{ zelfde_cel('s', 'b') }}
