-- The zaken of the zaaktypes the contract reads (list zaaktype); other zaaktypes stay in raw. The
-- person is the initiator's pseudonym; a destroyed zaak without one is a person of its own.
select
    uuid,
    identificatie,
    organisatie,
    gemeente,
    zaaktype,
    categorie,
    startdatum,
    einddatum,
    resultaat,
    coalesce(pseudoniem, case when vernietigd then 'zaak:' || uuid end) as persoon,
    inkomensbron,
    onderwerp,
    maatregel_code,
    vernietigd
from {{ ref('stg_zaken__zaken') }}
where categorie is not null
