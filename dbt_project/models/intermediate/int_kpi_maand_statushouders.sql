-- The statushouder KPIs (KPIS.md, Statushouders in benefits and trajectories) per municipality and month in
-- the shape of int_kpi_maand, plus the organisation rows. A statushouder dossier has reden_instroom 05. A
-- person's municipality for the 3-year share is that of their earliest statushouder dossier as applicant.
with statushouder_dossiers as (
    select * from {{ ref('fct_uitkeringen') }}
    where reden_instroom = '05'
),
dossierpersonen as (
    -- every dossier of a person, as applicant or partner ("a running dossier", "their last dossier")
    select aanvrager as persoon, dossiernummer, ingangsdatum, einddatum, reden_beeindiging, uitstroom_categorie
    from {{ ref('fct_uitkeringen') }}
    union all
    select partner, dossiernummer, ingangsdatum, einddatum, reden_beeindiging, uitstroom_categorie
    from {{ ref('fct_uitkeringen') }}
    where partner is not null
),
in_traject as (
    select m.organisatie, m.gemeente, m.maand, s.aanvrager
    from {{ ref('int_maanden') }} as m
    join statushouder_dossiers as s
        on s.gemeente = m.gemeente and {{ loopt_op('s.ingangsdatum', 's.einddatum', 'm.maand_einde') }}
    where exists (
        select 1 from {{ ref('fct_trajecten') }} as t
        where t.pseudoniem = s.aanvrager and {{ loopt_op('t.startdatum', 't.einddatum', 'm.maand_einde') }}
    )
),
peilmomenten as (
    -- p: the start of the earliest statushouder dossier as applicant plus 3 years
    select
        aanvrager as persoon,
        arg_min(organisatie, ingangsdatum) as organisatie,
        arg_min(gemeente, ingangsdatum) as gemeente,
        cast(min(ingangsdatum) + interval 3 year as date) as p
    from statushouder_dossiers
    group by aanvrager
),
stand_op_p as (
    select
        pm.*,
        exists(
            select 1 from dossierpersonen as d
            where d.persoon = pm.persoon and {{ loopt_op('d.ingangsdatum', 'd.einddatum', 'pm.p') }}
        ) as heeft_lopend_dossier,
        (
            select arg_max(d.reden_beeindiging, d.einddatum) from dossierpersonen as d
            where d.persoon = pm.persoon and d.einddatum <= pm.p
        ) as laatste_reden,
        (
            select arg_max(d.uitstroom_categorie, d.einddatum) from dossierpersonen as d
            where d.persoon = pm.persoon and d.einddatum <= pm.p
        ) as laatste_categorie,
        exists(
            select 1 from dossierpersonen as d
            join {{ ref('int_betalingen') }} as b on b.dossiernummer = d.dossiernummer
            where d.persoon = pm.persoon and {{ loopt_op('d.ingangsdatum', 'd.einddatum', 'pm.p') }}
                and b.periode = date_trunc('month', pm.p) and b.soort = 'P' and b.verrekende_inkomsten > 0
        ) as heeft_deeltijdwerk,
        exists(
            select 1 from {{ ref('fct_trajecten') }} as t
            where t.pseudoniem = pm.persoon and t.soort in ('BACK_TO_SCHOOL', 'LEERLIJN', 'INBURGERING_ONDERWIJS')
                and {{ loopt_op('t.startdatum', 't.einddatum', 'pm.p') }}
        ) as volgt_opleiding
    from peilmomenten as pm
    where {{ in_dataperiode('pm.gemeente', 'pm.p') }}
),
cohort as (
    select
        organisatie,
        gemeente,
        cast(date_trunc('month', p) as date) as maand,
        persoon,
        (not heeft_lopend_dossier and laatste_categorie in ('WERK', 'GARANTIEBAAN', 'ONDERWIJS'))
        or (heeft_lopend_dossier and heeft_deeltijdwerk)
        or volgt_opleiding as werk_of_opleiding
    from stand_op_p
    -- moved, AOW, death, detention
    where heeft_lopend_dossier or coalesce(laatste_reden not in ('30', '32', '33', '34'), true)
),
gemeente_niveau as (
    select
        m.organisatie,
        m.gemeente,
        m.maand,
        (select count(*) from statushouder_dossiers as s
            where s.gemeente = m.gemeente and s.telt_uitstroom and s.ingangsdatum >= date '2015-01-01'
                and date_trunc('month', s.einddatum) = m.maand) as uitstroom,
        (select count(distinct t.aanvrager) from in_traject as t
            where t.gemeente = m.gemeente and t.maand = m.maand) as in_traject,
        (select count(*) from cohort as c where c.gemeente = m.gemeente and c.maand = m.maand) as cohort,
        (select count(*) filter (where c.werk_of_opleiding) from cohort as c
            where c.gemeente = m.gemeente and c.maand = m.maand) as werk_of_opleiding
    from {{ ref('int_maanden') }} as m
),
organisatie_niveau as (
    -- a person counts once per organisation, also with dossiers in two of its municipalities
    select
        g.organisatie,
        null as gemeente,
        g.maand,
        sum(g.uitstroom) as uitstroom,
        (select count(distinct t.aanvrager) from in_traject as t
            where t.organisatie = g.organisatie and t.maand = g.maand) as in_traject,
        sum(g.cohort) as cohort,
        sum(g.werk_of_opleiding) as werk_of_opleiding
    from gemeente_niveau as g
    group by g.organisatie, g.maand
),
niveaus as (
    select * from gemeente_niveau
    union all by name
    select * from organisatie_niveau
)
select organisatie, gemeente, maand, 'uitstroom_statushouders' as kpi, 'telling' as berekening,
       uitstroom as teller, cast(null as bigint) as noemer
from niveaus
union all
select organisatie, gemeente, maand, 'statushouders_in_traject', 'stand', in_traject, null
from niveaus
union all
select organisatie, gemeente, maand, 'statushouders_werk_of_opleiding_3jr_aandeel', 'aandeel', werk_of_opleiding, cohort
from niveaus
