with bron as (
    {{ laatste_snapshot(source('raw_civision', 'aanvragen'), ['meldingsnummer']) }}
)
select
    bron.meldingsnummer,
    bron.persoonsnummer,
    {{ gemeente_uit_nummer('bron.gemeentecode') }} as gemeente,
    g.organisatie,
    bron.meldingsdatum,
    bron.aanvraagdatum,
    bron.besluitdatum,
    bron.besluit,
    bron.dossiernummer,
    bron._levering
from bron
left join {{ ref('gemeenten') }} as g on g.cbs_code = {{ gemeente_uit_nummer('bron.gemeentecode') }}
