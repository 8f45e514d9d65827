-- The counted zaken KPIs (KPIS.md, Cases) per month in the shape of int_kpi_maand: received in the
-- month of startdatum, closed in the month of einddatum. Every KPI has a row (0 when nothing happened)
-- for every month from the organisation's first zaak to its latest zaken delivery (at most to the end
-- of its data period), for the organisation
-- and each of its municipalities; a zaak without municipality counts in the organisation only. The
-- distinct-person KPIs and klachten_aantal_mutatie are counted per whole period in marts.kpi.
with zaken as (
    select * from {{ ref('fct_zaken') }}
),
codes as (
    select * from {{ ref('codes') }}
),
gebeurtenissen as (
    -- (kpi, in the teller, in the noemer) per received zaak
    select
        organisatie,
        gemeente,
        startdatum as datum,
        unnest([
            struct_pack(kpi := 'bezwaren_aantal', teller := zaaktype = 'BEZWAAR', noemer := false),
            struct_pack(kpi := 'klachten_aantal', teller := zaaktype = 'KLACHT', noemer := false),
            struct_pack(kpi := 'klachten_ombudsman_aantal', teller := zaaktype = 'KLACHT_OMBUDSMAN', noemer := false),
            struct_pack(
                kpi := 'klachten_onderwerp_' || lower(onderwerp), teller := zaaktype = 'KLACHT', noemer := false
            ),
            struct_pack(kpi := 'armoede_aanvragen', teller := categorie = 'ARMOEDE', noemer := false),
            struct_pack(
                kpi := 'armoede_aanvragen_' || lower(zaaktype), teller := categorie = 'ARMOEDE', noemer := false
            ),
            struct_pack(kpi := 'kindregelingen_aanvragen', teller := categorie = 'KIND', noemer := false)
        ], recursive := true)
    from zaken
    union all
    -- per closed zaak
    select
        organisatie,
        gemeente,
        einddatum,
        unnest([
            struct_pack(kpi := 'bezwaren_afgehandeld', teller := zaaktype = 'BEZWAAR', noemer := false),
            struct_pack(
                kpi := 'bezwaren_gegrond_aandeel',
                teller := zaaktype = 'BEZWAAR' and resultaat in ('GEGROND', 'DEELS_GEGROND'),
                noemer := zaaktype = 'BEZWAAR'
            ),
            struct_pack(
                kpi := 'bezwaren_herzien_aandeel',
                teller := zaaktype = 'BEZWAAR' and resultaat = 'HERZIEN',
                noemer := zaaktype = 'BEZWAAR'
            ),
            struct_pack(
                kpi := 'bezwaren_gegrond_of_herzien_aandeel',
                teller := zaaktype = 'BEZWAAR' and resultaat in ('GEGROND', 'DEELS_GEGROND', 'HERZIEN'),
                noemer := zaaktype = 'BEZWAAR'
            ),
            struct_pack(
                kpi := 'klachten_ongegrond_aandeel',
                teller := zaaktype = 'KLACHT' and resultaat = 'ONGEGROND',
                noemer := zaaktype = 'KLACHT'
            )
        ], recursive := true)
    from zaken
    where einddatum is not null
),
kpis as (
    select kpi, case when kpi like '%_aandeel' then 'aandeel' else 'telling' end as berekening
    from (
        select
            unnest([
                'bezwaren_aantal', 'klachten_aantal', 'klachten_ombudsman_aantal', 'armoede_aanvragen',
                'kindregelingen_aanvragen', 'bezwaren_afgehandeld', 'bezwaren_gegrond_aandeel',
                'bezwaren_herzien_aandeel', 'bezwaren_gegrond_of_herzien_aandeel', 'klachten_ongegrond_aandeel'
            ]) as kpi
        union
        select 'klachten_onderwerp_' || lower(code) from codes where lijst = 'klacht_onderwerp'
        union
        select 'armoede_aanvragen_' || lower(code) from codes where lijst = 'zaaktype' and categorie = 'ARMOEDE'
    ) as codes_en_lijsten
),
maanden as (
    -- counts of received and closed zaken: from the organisation's first zaak, the delivery month included
    {{ bronmaanden('zaken', "date_trunc('month', min(f.startdatum))", 'zaken') }}
),
rooster as (
    select m.organisatie, g.cbs_code as gemeente, m.maand
    from maanden as m
    join {{ ref('gemeenten') }} as g on g.organisatie = m.organisatie
    union all
    select organisatie, null, maand
    from maanden
),
per_maand as (
    select organisatie, gemeente, cast(date_trunc('month', datum) as date) as maand, kpi, teller, noemer
    from gebeurtenissen
    where kpi is not null and (teller or noemer)
),
tellingen as (
    select organisatie, gemeente, maand, kpi, count(*) filter (where teller) as teller,
           count(*) filter (where noemer) as noemer
    from per_maand
    where gemeente is not null
    group by all
    union all
    select organisatie, null, maand, kpi, count(*) filter (where teller), count(*) filter (where noemer)
    from per_maand
    group by all
)
select
    r.organisatie,
    r.gemeente,
    r.maand,
    k.kpi,
    k.berekening,
    coalesce(t.teller, 0) as teller,
    case when k.berekening = 'aandeel' then coalesce(t.noemer, 0) end as noemer
from rooster as r
cross join kpis as k
left join tellingen as t
    on t.organisatie = r.organisatie and t.gemeente is not distinct from r.gemeente and t.maand = r.maand and t.kpi = k.kpi
