select
    plaatsing_id,
    pseudoniem,
    organisatie,
    gemeente,
    soort,
    werkgever_kvk,
    werkgever_sector,
    startdatum,
    einddatum,
    loonwaarde_pct,
    uren_per_week,
    maatregel_code
from {{ ref('stg_reintegratie__plaatsingen') }}
