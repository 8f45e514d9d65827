-- Vroegsignalen and whether they led to an aanmelding.
select
    signaal_id,
    organisatie,
    gemeente,
    datum_signaal,
    bron,
    contact_gelegd,
    aanmelding_id,
    aanmelding_id is not null as heeft_vervolg,
    {{ in_dataperiode('gemeente', 'datum_signaal') }} as telt_signaal
from {{ ref('stg_schuldhulp__vroegsignalen') }}
