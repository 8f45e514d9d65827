{{ config(materialized='table', schema='semantic') }}
-- One row per melding at de Poort (fct_meldingen); telt_melding / telt_besluit: the month
-- of meldingsdatum / besluitdatum lies in the data period (int_maanden).
with maanden as (
    select gemeente, maand from {{ ref('int_maanden') }}
)
select
    f.meldingsnummer,
    f.gemeente,
    f.organisatie,
    f.meldingsdatum,
    f.besluitdatum,
    coalesce(f.besluit, case when f.aanvraagdatum is null then 'GEEN_AANVRAAG' else 'IN_BEHANDELING' end) as besluit,
    f.is_preventie,
    f.is_jongere,
    f.is_besloten_aanvraag,
    f.is_binnen_4_weken,
    mm.maand is not null as telt_melding,
    mb.maand is not null as telt_besluit
from {{ ref('fct_meldingen') }} as f
left join maanden as mm on mm.gemeente = f.gemeente and mm.maand = date_trunc('month', f.meldingsdatum)
left join maanden as mb on mb.gemeente = f.gemeente and mb.maand = date_trunc('month', f.besluitdatum)
