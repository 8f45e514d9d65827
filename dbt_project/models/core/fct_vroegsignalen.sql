select
    signaal_id,
    organisatie,
    gemeente,
    datum_signaal,
    bron,
    contact_gelegd,
    aanmelding_id,
    aanmelding_id is not null as heeft_vervolg
from {{ ref('stg_schuldhulp__vroegsignalen') }}
