-- Findings: interne taken whose originating klantcontact has not been delivered (yet): the contact
-- delta lags (SOURCES.md, kcc). The task is kept and counts in the KPIs once its contact arrives.
select
    'kcc' as bron,
    'interne_taken' as object,
    nummer as sleutel,
    'taak_zonder_contact' as controle,
    'waarschuwing' as ernst,
    'Interne taak ' || nummer || ' verwijst naar klantcontact ' || klantcontact
    || ' dat (nog) niet is geleverd; de taak telt niet mee tot het contact er is' as omschrijving,
    _levering as levering
from {{ ref('stg_kcc__interne_taken') }}
where klantcontact not in (select c.nummer from {{ ref('stg_kcc__klantcontacten') }} as c)
