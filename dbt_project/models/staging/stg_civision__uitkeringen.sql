-- One row per dossier in the latest snapshot, latest laatst_gewijzigd (reopened and
-- backdated dossiers: the latest snapshot wins).
with bron as (
    {{ laatste_snapshot(source('raw_civision', 'uitkeringen'), ['dossiernummer'], 'laatst_gewijzigd') }}
)
select
    bron.dossiernummer,
    bron.persoonsnummer,
    bron.partner_persoonsnummer,
    bron.regeling,
    bron.leefvorm,
    {{ gemeente_uit_nummer('bron.gemeentecode') }} as gemeente,
    g.organisatie,
    bron.ingangsdatum,
    bron.einddatum,
    bron.reden_instroom,
    bron.reden_beeindiging,
    bron.instroomroute,
    bron.ontheffing_arbeidsplicht,
    bron.laatst_gewijzigd,
    bron._levering
from bron
left join {{ ref('gemeenten') }} as g on g.cbs_code = {{ gemeente_uit_nummer('bron.gemeentecode') }}
