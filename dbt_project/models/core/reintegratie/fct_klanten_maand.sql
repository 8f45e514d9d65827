-- Applicants in the benefit eindstand by klantgroep. Grain: (client, month) for every month of
-- the data period whose last day the client has a valid profile in dim_client (municipality =
-- client.gemeente of that profile) and is the applicant of a dossier in that month's eindstand.
-- in_traject: an activering trajectory (ACTIVERING, VRIJWILLIGERSWERK) runs on month end.
with aanvragers as (
    select distinct aanvrager, maand from {{ ref('fct_uitkeringen_maand') }} where aanvrager is not null
),
activering as (
    select pseudoniem, startdatum, einddatum from {{ ref('fct_trajecten') }} where is_activering
)
select distinct
    k.pseudoniem,
    m.maand,
    m.gemeente,
    m.organisatie,
    cast(k.klantgroep as varchar) as klantgroep,
    cast(k.klantgroep as varchar) = '4' as is_klantgroep_4,
    exists(
        select 1 from activering as t
        where t.pseudoniem = k.pseudoniem and {{ loopt_op('t.startdatum', 't.einddatum', 'm.maand_einde') }}
    ) as in_traject
from {{ ref('dim_client') }} as k  -- the klantgroep history (SCD2); clients without a profile have no gemeente
join {{ ref('int_maanden') }} as m
    on m.gemeente = k.gemeente
    and k.geldig_vanaf <= m.maand_einde and (k.geldig_tot is null or k.geldig_tot >= m.maand_einde)
join aanvragers as a on a.aanvrager = k.pseudoniem and a.maand = m.maand
