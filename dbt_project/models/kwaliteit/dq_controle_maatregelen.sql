-- A maatregel_code typed by hand that is no measure of reference/maatregelen.csv (SOURCES.md,
-- reintegratie): flagged per record of the current version and treated as null (no deelnemer, no KPI).
with onbekend as (
    select 'reintegratie' as bron, 'trajecten' as object, traject_id as sleutel, maatregel_code_geleverd, _levering
    from {{ ref('stg_reintegratie__trajecten') }}
    where maatregel_code_geleverd is not null and maatregel_code is null
    union all
    select 'reintegratie', 'plaatsingen', plaatsing_id, maatregel_code_geleverd, _levering
    from {{ ref('stg_reintegratie__plaatsingen') }}
    where maatregel_code_geleverd is not null and maatregel_code is null
    union all
    select 'zaken', 'zaken', identificatie, maatregel_code_geleverd, _levering
    from {{ ref('stg_zaken__zaken') }}
    where maatregel_code_geleverd is not null and maatregel_code is null
)
select
    bron,
    object,
    sleutel,
    'maatregel_onbekend' as controle,
    'waarschuwing' as ernst,
    object || ' ' || sleutel || ': veld maatregel_code ''' || maatregel_code_geleverd
    || ''' staat niet in maatregelen.csv; telt als geen maatregel' as omschrijving,
    _levering as levering
from onbekend
