-- Schuldhulp aanmeldingen; an intake is the first conversation (datum_eerste_gesprek).
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
    datum_uitstroom,
    {{ in_dataperiode('gemeente', 'datum_eerste_gesprek') }} as telt_intake
from {{ ref('stg_schuldhulp__aanmeldingen') }}
