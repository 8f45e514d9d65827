-- Inburgeringsplichtigen the contract flags (SOURCES.md, reintegratie: inburgeringsplichtigen); each
-- record still counts. Reported in every delivery that held the record version, as the loader does.
-- The age on plicht_vanaf is known for clients in Civision only (their geboortedatum).
with versies as (
    select *, pseudoniem(client_bsn) as pseudoniem
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
union all
select distinct 'reintegratie', 'inburgeringsplichtigen', r.inburgering_id, 'jonger_dan_18', 'waarschuwing',
       'client is op plicht_vanaf jonger dan 18 jaar (geboortedatum in Civision); telt mee', r.levering
from rijen as r
join {{ ref('stg_civision__personen') }} as p on p.pseudoniem = r.pseudoniem
where r.plicht_vanaf < p.geboortedatum + interval 18 year
