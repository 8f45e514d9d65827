-- One row per melding at de Poort with the rules of the melding, preventie and doorlooptijd
-- KPIs as flags (KPIS.md): preventie = besluit AFGEWEZEN, BUITEN_BEHANDELING or INGETROKKEN,
-- or neither an aanvraag nor a besluit; jongere = younger than 27 on the meldingsdatum;
-- besloten aanvraag within 4 weeks = besluitdatum - aanvraagdatum <= 28 days.
select
    a.meldingsnummer,
    a.organisatie,
    a.gemeente,
    p.pseudoniem as aanvrager,
    a.meldingsdatum,
    a.aanvraagdatum,
    a.besluitdatum,
    coalesce(a.besluit, case when a.aanvraagdatum is null then 'GEEN_AANVRAAG' else 'IN_BEHANDELING' end) as besluit,
    a.dossiernummer,
    {{ in_dataperiode('a.gemeente', 'a.meldingsdatum') }} as telt_melding,
    {{ in_dataperiode('a.gemeente', 'a.besluitdatum') }} as telt_besluit,
    coalesce(
        a.besluit in ('AFGEWEZEN', 'BUITEN_BEHANDELING', 'INGETROKKEN')
        or (a.aanvraagdatum is null and a.besluit is null),
        false
    ) as is_preventie,
    coalesce({{ jonger_dan_27('p.geboortedatum', 'a.meldingsdatum') }}, false) as is_jongere,
    a.aanvraagdatum is not null and a.besluitdatum is not null as is_besloten_aanvraag,
    coalesce(a.besluitdatum - a.aanvraagdatum <= 28, false) as is_binnen_4_weken
from {{ ref('stg_civision__aanvragen') }} as a
left join {{ ref('int_personen') }} as p on p.persoonsnummer = a.persoonsnummer
