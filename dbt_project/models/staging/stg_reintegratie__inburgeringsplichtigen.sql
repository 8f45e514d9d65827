with bron as (
    {{ laatste_snapshot(source('raw_reintegratie', 'inburgeringsplichtigen'), ['inburgering_id'], 'gewijzigd_op') }}
)
select
    bron.inburgering_id,
    pseudoniem(bron.client_bsn) as pseudoniem,
    {{ gemeente_uit_gm_code('bron.client_gemeente') }} as gemeente,
    g.organisatie,
    bron.migrant_soort,
    bron.plicht_vanaf,
    bron.huisvestingsdatum,
    bron.brede_intake_op,
    bron.pip_vastgesteld_op,
    bron.leerroute,
    bron.termijn_einde,
    bron.b1_behaald_op,
    bron.plicht_einde,
    bron.plicht_einde_reden,
    bron.gewijzigd_op,
    bron._levering
from bron
left join {{ ref('gemeenten') }} as g on g.cbs_code = {{ gemeente_uit_gm_code('bron.client_gemeente') }}
