with bron as (
    {{ laatste_snapshot(source('raw_reintegratie', 'klantprofielen'), ['client_bsn', 'geldig_vanaf']) }}
)
select
    pseudoniem(bron.client_bsn) as pseudoniem,
    {{ gemeente_uit_gm_code('bron.client_gemeente') }} as gemeente,
    g.organisatie,
    bron.klantgroep,
    bron.geldig_vanaf,
    bron.ontheffing,
    bron.taalniveau,
    bron._levering
from bron
left join {{ ref('gemeenten') }} as g on g.cbs_code = {{ gemeente_uit_gm_code('bron.client_gemeente') }}
