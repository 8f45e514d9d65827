-- Findings in the debt-assistance extract: trajectories whose aanmelding does not exist, and
-- municipality names with stray spaces or other case (gemeente_spelling, normalised in
-- staging) or that match no municipality at all (gemeente_onbekend), in every delivery (as the
-- loader reports its findings per delivery: record versions back at each delivery that held them),
-- quarantined records included.
with aanmeldingen as (
    select aanmelding_id, gemeente, _levering, _levering_tot
    from {{ source('raw_schuldhulp', 'aanmeldingen') }}
    where gemeente is null or gemeente not in (select g.naam from {{ ref('gemeenten') }} as g)
),
vroegsignalen as (
    select signaal_id, gemeente, _levering, _levering_tot
    from {{ source('raw_schuldhulp', 'vroegsignalen') }}
    where gemeente is null or gemeente not in (select g.naam from {{ ref('gemeenten') }} as g)
),
namen as (
    select distinct 'aanmeldingen' as object, aanmelding_id as sleutel, gemeente, levering as _levering
    from ({{ versies_per_levering('aanmeldingen', 'schuldhulp', 'aanmeldingen') }})
    union all
    select distinct 'vroegsignalen', signaal_id, gemeente, levering
    from ({{ versies_per_levering('vroegsignalen', 'schuldhulp', 'vroegsignalen') }})
    union all
    select distinct object, coalesce(nullif(trim(sleutel), ''), 'rij ' || rij),
           json_extract_string(record, '$.gemeente'), levering
    from {{ source('raw_meta', 'quarantaine') }}
    where systeem = 'schuldhulp' and object in ('aanmeldingen', 'vroegsignalen')
)
select 'schuldhulp' as bron, 'trajecten' as object, t.traject_id as sleutel, 'aanmelding_onbekend' as controle,
       'waarschuwing' as ernst,
       'Traject ' || t.traject_id || ' verwijst naar aanmelding ' || coalesce(t.aanmelding_id, '(leeg)')
           || ', die niet in aanmeldingen.csv staat' as omschrijving,
       t._levering as levering
from {{ ref('stg_schuldhulp__trajecten') }} as t
where t.aanmelding_id is null
   or t.aanmelding_id not in (select a.aanmelding_id from {{ ref('stg_schuldhulp__aanmeldingen') }} as a)
union all
select 'schuldhulp', n.object, n.sleutel, 'gemeente_spelling', 'info',
       'Gemeente geleverd als ''' || n.gemeente || ''' in ' || n.object || '.csv; gelezen als ' || g.naam,
       n._levering
from namen as n
join {{ ref('gemeenten') }} as g on lower(g.naam) = lower(trim(n.gemeente))
where n.gemeente <> g.naam
union all
select 'schuldhulp', n.object, n.sleutel, 'gemeente_onbekend', 'waarschuwing',
       'Gemeente ''' || coalesce(n.gemeente, '') || ''' in ' || n.object || '.csv is geen bekende gemeente',
       n._levering
from namen as n
where lower(trim(coalesce(n.gemeente, ''))) not in (select lower(gg.naam) from {{ ref('gemeenten') }} as gg)
