-- The last budget version (marts.begroting_versies) equals the budget of marts.financien per
-- organisation, year and programme.
with versies as (
    select organisatie, jaar, programma, sum(baten) as baten, sum(lasten) as lasten
    from {{ ref('begroting_versies') }}
    where is_laatste_versie
    group by all
)
select f.organisatie, f.jaar, f.programma, f.begroting_baten, v.baten, f.begroting_lasten, v.lasten
from {{ ref('financien') }} as f
full join versies as v on v.organisatie = f.organisatie and v.jaar = f.jaar and v.programma = f.programma
where coalesce(f.begroting_baten, 0) <> coalesce(v.baten, 0)
    or coalesce(f.begroting_lasten, 0) <> coalesce(v.lasten, 0)
