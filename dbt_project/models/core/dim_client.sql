-- Clients by pseudonym, klantgroep history as SCD2 (geldig_tot inclusive, NULL = current).
-- Clients without any profile get one row valid from 1900-01-01 with klantgroep NULL.
with pseudoniemen as (
    select pseudoniem from {{ ref('int_personen') }}
    union
    select pseudoniem from {{ ref('stg_schuldhulp__aanmeldingen') }}
    union
    select pseudoniem from {{ ref('stg_reintegratie__trajecten') }}
    union
    select pseudoniem from {{ ref('stg_reintegratie__klantprofielen') }}
    union
    select pseudoniem from {{ ref('stg_reintegratie__plaatsingen') }}
),
persoon as (
    select pseudoniem, min(year(geboortedatum)) as geboortejaar, min(geslacht) as geslacht
    from {{ ref('int_personen') }}
    where pseudoniem is not null
    group by pseudoniem
),
versies as (
    select pseudoniem, klantgroep, gemeente, ontheffing, taalniveau, geldig_vanaf, geldig_tot
    from {{ ref('int_klantprofielen') }}
    union all
    select p.pseudoniem, null, null, null, null, date '1900-01-01', null
    from pseudoniemen as p
    where p.pseudoniem is not null
        and not exists (select 1 from {{ ref('int_klantprofielen') }} as k where k.pseudoniem = p.pseudoniem)
)
select
    v.pseudoniem || '|' || strftime(v.geldig_vanaf, '%Y-%m-%d') as client_versie,
    v.pseudoniem,
    v.klantgroep,
    v.gemeente,
    v.ontheffing,
    v.taalniveau,
    v.geldig_vanaf,
    v.geldig_tot,
    v.geldig_tot is null as is_actueel,
    p.geboortejaar,
    p.geslacht
from versies as v
left join persoon as p on p.pseudoniem = v.pseudoniem
