select
    traject_id,
    pseudoniem,
    organisatie,
    gemeente,
    soort,
    aangemeld_op,
    startdatum,
    einddatum,
    resultaat,
    bron,
    gewijzigd_op
from {{ ref('stg_reintegratie__trajecten') }}
