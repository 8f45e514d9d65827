-- Meldingen at de Poort with the KPI flags (preventie, jongere, binnen 4 weken).
select
    a.meldingsnummer,
    a.persoonsnummer,
    p.pseudoniem as aanvrager,
    a.organisatie,
    a.gemeente,
    a.meldingsdatum,
    a.aanvraagdatum,
    a.besluitdatum,
    a.besluit,
    a.dossiernummer,
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
