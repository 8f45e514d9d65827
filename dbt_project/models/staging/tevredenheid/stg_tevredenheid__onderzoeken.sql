-- Surveys of the latest delivery (a snapshot of every survey so far); KTO or MTO from the code list.
with bron as (
    {{ laatste_snapshot(source('raw_tevredenheid', 'onderzoeken'), ['onderzoek_id']) }}
)
select
    bron.onderzoek_id,
    bron.soort,
    c.categorie as onderzoek_type,
    bron.uitvoerder,
    bron.veldwerk_van,
    bron.veldwerk_tot,
    bron.steekproef,
    bron.methode,
    bron._levering
from bron
left join {{ ref('codes') }} as c on c.lijst = 'onderzoek_soort' and c.code = bron.soort
