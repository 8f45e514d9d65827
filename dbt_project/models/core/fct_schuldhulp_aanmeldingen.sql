select
    aanmelding_id,
    pseudoniem,
    organisatie,
    gemeente,
    datum_aanmelding,
    datum_eerste_gesprek,
    crisis,
    verwijzer,
    uitstroomreden,
    datum_uitstroom
from {{ ref('stg_schuldhulp__aanmeldingen') }}
