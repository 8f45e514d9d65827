-- Delta object: the union of all deliveries, one row per regelnummer (the last delivered).
select
    regelnummer,
    dossiernummer,
    periode,
    soort,
    bedrag,
    coalesce(verrekende_inkomsten, 0) as verrekende_inkomsten,
    betaaldatum,
    _levering
from {{ source('raw_civision', 'betalingen') }}
qualify row_number() over (partition by regelnummer order by _levering desc, _rij desc) = 1
