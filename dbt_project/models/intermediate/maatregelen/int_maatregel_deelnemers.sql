-- The deelnemers of every policy measure and reeks X (KPIS.md, Policy measures): a person with a tagged
-- trajectory, placement or zaak of X, with the deelname start (earliest tagged start; a trajectory never
-- started counts from aangemeld_op) and the municipality of that first tagged record. A reeks takes the
-- union over its measures, so a person counts once, with the earliest start. Also the klantgroep on the
-- deelname start, on which the comparison group of marts.maatregelen is matched (and the benefit dossier
-- then running, int_maatregel_dossiers), and when a deelnemer of klantgroep 4 was activated: the first
-- start of a trajectory other than an assessment on or after the deelname start (maatregel_geactiveerd_X).
with getagd as (
    select organisatie, gemeente, pseudoniem, maatregel_code, coalesce(startdatum, aangemeld_op) as startdatum
    from {{ ref('fct_trajecten') }}
    where maatregel_code is not null
    union all
    select organisatie, gemeente, pseudoniem, maatregel_code, startdatum
    from {{ ref('fct_plaatsingen') }}
    where maatregel_code is not null
    union all
    select organisatie, gemeente, persoon, maatregel_code, startdatum
    from {{ ref('fct_zaken') }}
    where maatregel_code is not null
),
deelnemers as (
    select mx.organisatie, mx.maatregel, mx.x, mx.is_reeks, t.pseudoniem, t.gemeente, t.startdatum as deelname_start
    from getagd as t
    join {{ ref('int_maatregel_x') }} as mx on mx.organisatie = t.organisatie and mx.maatregel_code = t.maatregel_code
    where t.pseudoniem is not null and t.startdatum is not null
    qualify row_number() over (
        partition by mx.organisatie, mx.maatregel, t.pseudoniem order by t.startdatum, t.gemeente nulls last
    ) = 1
)
select
    d.organisatie,
    d.maatregel,
    d.x,
    d.is_reeks,
    d.pseudoniem,
    d.gemeente,
    d.deelname_start,
    p.klantgroep,
    case when p.klantgroep = '4' then (
        select min(t.startdatum) from {{ ref('fct_trajecten') }} as t
        where t.pseudoniem = d.pseudoniem and t.startdatum >= d.deelname_start and not t.is_assessment
    ) end as geactiveerd_op
from deelnemers as d
left join {{ ref('int_klantprofielen') }} as p
    on p.pseudoniem = d.pseudoniem and d.deelname_start between p.geldig_vanaf and coalesce(p.geldig_tot, '9999-12-31')
