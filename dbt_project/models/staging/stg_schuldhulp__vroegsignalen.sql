with bron as (
    {{ laatste_snapshot(source('raw_schuldhulp', 'vroegsignalen'), ['signaal_id']) }}
)
select
    bron.signaal_id,
    bron.datum_signaal,
    bron.bron,
    g.cbs_code as gemeente,
    g.organisatie,
    trim(bron.gemeente) as gemeente_naam_geleverd,
    bron.contact_gelegd,
    nullif(trim(bron.aanmelding_id), '') as aanmelding_id,
    bron._levering
from bron
left join {{ ref('gemeenten') }} as g on lower(g.naam) = lower(trim(bron.gemeente))
