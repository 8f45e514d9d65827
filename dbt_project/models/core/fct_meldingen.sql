select
    meldingsnummer,
    organisatie,
    gemeente,
    aanvrager,
    meldingsdatum,
    aanvraagdatum,
    besluitdatum,
    besluit,
    dossiernummer,
    is_preventie,
    is_jongere,
    is_besloten_aanvraag,
    is_binnen_4_weken
from {{ ref('int_meldingen') }}
