-- Findings: municipality-months where civision and the ERP differ more than the tolerance.
select
    'erp' as bron,
    'gl_entry' as object,
    gemeente || ' ' || periode as sleutel,
    'aansluiting_civision_erp' as controle,
    'waarschuwing' as ernst,
    'Uitkeringslasten in de ERP (' || gemeente_naam || ', ' || periode || ': ' || format('{:.2f}', erp_lasten)
        || ') wijken ' || coalesce(format('{:.2f}', verschil_pct) || '%', 'volledig')
        || ' af van de betalingen in Civision (' || format('{:.2f}', civision_bedrag) || '); tolerantie 0,5%' as omschrijving,
    cast(null as date) as levering
from {{ ref('dq_aansluiting_uitkeringen') }}
where not binnen_tolerantie
