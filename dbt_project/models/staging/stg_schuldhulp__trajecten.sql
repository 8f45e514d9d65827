with bron as (
    {{ laatste_snapshot(source('raw_schuldhulp', 'trajecten'), ['traject_id']) }}
)
select
    traject_id,
    aanmelding_id,
    soort,
    startdatum,
    einddatum,
    uitkomst,
    totale_schuld,
    aantal_schuldeisers,
    _levering
from bron
