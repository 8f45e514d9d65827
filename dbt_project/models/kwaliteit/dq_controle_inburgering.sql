-- Inburgeringsplichtigen the contract flags (SOURCES.md, reintegratie: inburgeringsplichtigen); each
-- record still counts. Reported in every delivery that held the record version, as the loader does.
with versies as (
    select *
    from {{ source('raw_reintegratie', 'inburgeringsplichtigen') }}
),
rijen as (
    {{ versies_per_levering('versies', 'reintegratie', 'inburgeringsplichtigen') }}
)
select distinct 'reintegratie' as bron, 'inburgeringsplichtigen' as object, inburgering_id as sleutel,
       'voor_2022' as controle, 'waarschuwing' as ernst,
       'plicht_vanaf ' || strftime(plicht_vanaf, '%Y-%m-%d')
           || ' ligt vóór 2022 (de Wet inburgering 2021 geldt vanaf 2022); telt vanaf 2022' as omschrijving,
       levering
from rijen
where plicht_vanaf < date '2022-01-01'
union all
select distinct 'reintegratie', 'inburgeringsplichtigen', inburgering_id, 'pip_voor_brede_intake', 'waarschuwing',
       'pip_vastgesteld_op ligt vóór brede_intake_op; de PIP-datum telt', levering
from rijen
where pip_vastgesteld_op < brede_intake_op
union all
select distinct 'reintegratie', 'inburgeringsplichtigen', inburgering_id, 'plicht_einde_zonder_reden', 'waarschuwing',
       'plicht_einde zonder plicht_einde_reden; telt in geen cohort dat een reden vraagt', levering
from rijen
where plicht_einde is not null and plicht_einde_reden is null
