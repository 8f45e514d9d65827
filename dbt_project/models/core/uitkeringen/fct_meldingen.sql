-- One row per melding at de Poort with the flags of the melding, preventie and doorlooptijd KPIs.
select
    meldingsnummer,
    organisatie,
    gemeente,
    aanvrager,
    meldingsdatum,
    aanvraagdatum,
    besluitdatum,
    coalesce(besluit, case when aanvraagdatum is null then 'GEEN_AANVRAAG' else 'IN_BEHANDELING' end) as besluit,
    dossiernummer,
    {{ in_dataperiode('gemeente', 'meldingsdatum') }} as telt_melding,
    {{ in_dataperiode('gemeente', 'besluitdatum') }} as telt_besluit,
    is_preventie,
    is_jongere,
    is_besloten_aanvraag,
    is_binnen_4_weken
from {{ ref('int_meldingen') }}
