-- Findings on zaken that read but are doubtful (SOURCES.md, zaken); each still counts as the contract
-- says: an unmapped result as ONBEKEND, a zaak without gemeente in the organisation only, a closed
-- zaak without result as ONBEKEND, an application without initiator in no person-based KPI.
with zaken as (
    select * from {{ ref('stg_zaken__zaken') }}
    where categorie is not null
),
bevindingen as (
    select identificatie, _levering, 'resultaat_onbekend' as controle,
           'resultaattekst staat niet in de codelijst zaak_resultaat; telt als ONBEKEND' as omschrijving
    from zaken where resultaat_onbekend
    union all
    select identificatie, _levering, 'gemeente_ontbreekt', 'eigenschap gemeente ontbreekt; telt alleen voor de organisatie'
    from zaken where gemeente_geleverd is null
    union all
    select identificatie, _levering, 'gemeente_onbekend',
           'eigenschap gemeente ''' || gemeente_geleverd || ''' is geen bekende gemeente; telt alleen voor de organisatie'
    from zaken where gemeente_geleverd is not null and gemeente is null
    union all
    select identificatie, _levering, 'einddatum_zonder_resultaat', 'afgehandeld zonder resultaat; telt als ONBEKEND'
    from zaken where einddatum is not null and not coalesce(heeft_resultaat, false)
    union all
    select identificatie, _levering, 'initiator_ontbreekt',
           'aanvraag zonder initiator (natuurlijk persoon); telt niet mee in de KPI''s die personen tellen'
    from zaken where categorie in ('ARMOEDE', 'KIND', 'PREMIE') and pseudoniem is null and not vernietigd
    union all
    select identificatie, _levering, 'inkomensbron_ontbreekt',
           'kindpakketaanvraag zonder (bekende) inkomensbron; telt in geen kindpakket_gezinnen_X'
    from zaken
    where zaaktype = 'KINDPAKKET' and coalesce(inkomensbron, '') not in (
        select c.code from {{ ref('codes') }} as c where c.lijst = 'inkomensbron'
    )
    union all
    select identificatie, _levering, 'startdatum_na_registratie', 'startdatum ligt na de registratiedatum'
    from zaken where startdatum > registratiedatum
    union all
    select identificatie, _levering, 'einddatum_voor_start', 'einddatum ligt vóór de startdatum'
    from zaken where einddatum < startdatum
)
select
    'zaken' as bron,
    'zaken' as object,
    identificatie as sleutel,
    controle,
    'waarschuwing' as ernst,
    'Zaak ' || identificatie || ': ' || omschrijving as omschrijving,
    _levering as levering
from bevindingen
