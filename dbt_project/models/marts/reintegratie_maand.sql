-- Re-integration per organisation, municipality (the client.gemeente of the record) and month.
-- "Running on month end" uses the stand convention: start <= end and (eind empty or eind > end).
with maanden as (
    select distinct maand, maand_einde from {{ ref('int_maanden') }}
),
trajecten as (
    select
        gemeente, maand, count(*) filter (where soort = 'ASSESSMENT') as assessment_uitgenodigd
    from (select *, cast(date_trunc('month', aangemeld_op) as date) as maand from {{ ref('fct_trajecten') }})
    group by all
),
gestart as (
    select gemeente, cast(date_trunc('month', startdatum) as date) as maand,
        count(*) filter (where soort = 'ASSESSMENT') as assessment_gestart
    from {{ ref('fct_trajecten') }}
    group by all
),
beeindigd as (
    select gemeente, cast(date_trunc('month', einddatum) as date) as maand,
        count(*) filter (where soort = 'ASSESSMENT' and resultaat = 'VERVOLG') as assessment_vervolg,
        count(*) filter (where soort = 'ASSESSMENT' and resultaat = 'WERK') as assessment_werk,
        count(*) filter (where soort = 'WERKLEERTRAJECT') as werkleertrajecten_beeindigd,
        count(*) filter (where soort = 'WERKLEERTRAJECT' and resultaat in ('JOB_READY', 'WERK')) as werkleertrajecten_job_ready
    from {{ ref('fct_trajecten') }}
    where einddatum is not null
    group by all
),
klantgroep4 as (
    -- clients whose profile valid on month end has klantgroep 4 and who are the applicant of a
    -- dossier in that month's eindstand; of those, who run an ACTIVERING/VRIJWILLIGERSWERK trajectory
    select
        k.gemeente, m.maand, k.pseudoniem,
        exists (
            select 1 from {{ ref('fct_trajecten') }} as t
            where t.pseudoniem = k.pseudoniem
                and t.soort in ('ACTIVERING', 'VRIJWILLIGERSWERK')
                and t.startdatum <= m.maand_einde
                and (t.einddatum is null or t.einddatum > m.maand_einde)
        ) as in_traject
    from {{ ref('int_klantprofielen') }} as k
    join maanden as m
        on k.geldig_vanaf <= m.maand_einde and (k.geldig_tot is null or k.geldig_tot >= m.maand_einde)
    where cast(k.klantgroep as varchar) = '4'
        and exists (
            select 1 from {{ ref('int_uitkeringen_maandeinde') }} as s
            where s.aanvrager = k.pseudoniem and s.maand = m.maand
        )
),
klantgroep4_telling as (
    select gemeente, maand,
        count(distinct pseudoniem) as klantgroep4_eindstand,
        count(distinct pseudoniem) filter (where in_traject) as klantgroep4_in_traject
    from klantgroep4
    group by all
),
plaatsingen as (
    select
        p.gemeente, m.maand,
        count(*) filter (where p.soort = 'LKS_BANENAFSPRAAK') as lks_banenafspraak_eindstand,
        count(*) filter (where p.soort = 'LKS_BESCHUT') as lks_beschut_eindstand,
        count(*) as plaatsingen_eindstand
    from {{ ref('fct_plaatsingen') }} as p
    join maanden as m on p.startdatum <= m.maand_einde and (p.einddatum is null or p.einddatum > m.maand_einde)
    group by all
)
select
    m.organisatie,
    m.gemeente,
    m.maand,
    m.periode,
    m.jaar,
    coalesce(t.assessment_uitgenodigd, 0) as assessment_uitgenodigd,
    coalesce(g.assessment_gestart, 0) as assessment_gestart,
    coalesce(b.assessment_vervolg, 0) as assessment_vervolg,
    coalesce(b.assessment_werk, 0) as assessment_werk,
    coalesce(b.werkleertrajecten_beeindigd, 0) as werkleertrajecten_beeindigd,
    coalesce(b.werkleertrajecten_job_ready, 0) as werkleertrajecten_job_ready,
    coalesce(k.klantgroep4_eindstand, 0) as klantgroep4_eindstand,
    coalesce(k.klantgroep4_in_traject, 0) as klantgroep4_in_traject,
    coalesce(p.lks_banenafspraak_eindstand, 0) as lks_banenafspraak_eindstand,
    coalesce(p.lks_beschut_eindstand, 0) as lks_beschut_eindstand,
    coalesce(p.plaatsingen_eindstand, 0) as plaatsingen_eindstand
from {{ ref('int_maanden') }} as m
left join trajecten as t on t.gemeente = m.gemeente and t.maand = m.maand
left join gestart as g on g.gemeente = m.gemeente and g.maand = m.maand
left join beeindigd as b on b.gemeente = m.gemeente and b.maand = m.maand
left join klantgroep4_telling as k on k.gemeente = m.gemeente and k.maand = m.maand
left join plaatsingen as p on p.gemeente = m.gemeente and p.maand = m.maand
