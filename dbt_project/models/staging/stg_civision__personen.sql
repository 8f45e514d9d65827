-- One row per person in the latest snapshot; bsn becomes a pseudonym, names/street/house
-- number/full postcode stay in the raw zone (postcode4 only).
with bron as (
    {{ laatste_snapshot(source('raw_civision', 'personen'), ['persoonsnummer']) }}
)
select
    bron.persoonsnummer,
    pseudoniem(bron.bsn) as pseudoniem,
    bron.geboortedatum,
    bron.geslacht,
    nullif(left(regexp_replace(coalesce(bron.postcode, ''), '\s', '', 'g'), 4), '') as postcode4,
    bron.woonplaats,
    {{ gemeente_uit_nummer('bron.gemeentecode') }} as gemeente,
    g.organisatie,
    bron.datum_overlijden,
    bron._levering
from bron
left join {{ ref('gemeenten') }} as g on g.cbs_code = {{ gemeente_uit_nummer('bron.gemeentecode') }}
