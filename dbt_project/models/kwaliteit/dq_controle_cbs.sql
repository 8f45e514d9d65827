-- Findings on the CBS population: a municipality and year whose delivered age bands do not exactly cover an age
-- group of the BBV indicators (int_bevolking: a band straddling 15, 18 or 65, or a gap); that indicator is
-- missing for it. Sleutel: gemeente:jaar.
select
    'cbs' as bron,
    'bevolking' as object,
    gemeente || ':' || jaar as sleutel,
    'leeftijdsbanden_dekken_niet' as controle,
    'waarschuwing' as ernst,
    'CBS-bevolking ' || gemeente || ' ' || jaar || ': de leeftijdsbanden (' || coalesce(leeftijdsbanden, 'geen')
    || ') dekken '
    || concat_ws(' en ', case when inwoners_18plus is null then '18+' end, case when inwoners_15_64 is null then '15-64' end)
    || ' niet precies; die BBV-indicator ontbreekt voor dit jaar' as omschrijving,
    cast(null as date) as levering
from {{ ref('int_bevolking') }}
where bron = 'cbs' and (inwoners_18plus is null or inwoners_15_64 is null)
