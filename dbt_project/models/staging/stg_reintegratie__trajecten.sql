with bron as (
    {{ laatste_snapshot(source('raw_reintegratie', 'trajecten'), ['traject_id'], 'gewijzigd_op') }}
)
select
    bron.traject_id,
    pseudoniem(bron.client_bsn) as pseudoniem,
    {{ gemeente_uit_gm_code('bron.client_gemeente') }} as gemeente,
    g.organisatie,
    bron.soort,
    bron.aangemeld_op,
    bron."start" as startdatum,
    bron.eind as einddatum,
    bron.resultaat,
    bron.bron,
    bron.gewijzigd_op,
    {{ maatregel_code_geleverd('bron.maatregel_code') }} as maatregel_code_geleverd,
    {{ maatregel_code('bron.maatregel_code') }} as maatregel_code,
    bron._levering
from bron
left join {{ ref('gemeenten') }} as g on g.cbs_code = {{ gemeente_uit_gm_code('bron.client_gemeente') }}
