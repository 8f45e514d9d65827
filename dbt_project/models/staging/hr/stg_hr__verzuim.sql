-- Window snapshot: a case that left the window of the latest delivery keeps its last version.
with bron as (
    {{ laatste_venster(source('raw_hr', 'verzuim'), 'hr', 'verzuim', ['verzuimnummer', 'regel'], 'gewijzigd_op', 'verzuimnummer', 'einddatum') }}
),
dienstverbanden as (
    {{ laatste_snapshot(source('raw_hr', 'dienstverbanden'), ['personeelsnummer', 'dienstverband', 'geldig_van'], 'gewijzigd_op') }}
),
-- the organisation of the dienstverband, as staging derived it
organisatie as (
    select distinct
        lpad(trim(b.personeelsnummer), 6, '0') as personeelsnummer,
        b.dienstverband,
        d.organisatie
    from dienstverbanden as b
    join {{ ref('stg_hr__dienstverbanden') }} as d
        on d.dienstverband = b.dienstverband
        and d.geldig_van = b.geldig_van
        and d.medewerker = {{ medewerker('d.organisatie', 'b.personeelsnummer') }}
)
select
    bron.verzuimnummer,
    {{ medewerker('o.organisatie', 'bron.personeelsnummer') }} as medewerker,
    bron.dienstverband,
    o.organisatie,
    bron.eerste_ziektedag,
    bron.regel,
    bron.ingangsdatum,
    {{ open_einde('bron.einddatum') }} as einddatum,
    bron.percentage,
    bron.soort,
    {{ open_einde('bron.hersteldatum') }} as hersteldatum,
    bron.gewijzigd_op,
    bron._levering
from bron
left join organisatie as o
    on o.personeelsnummer = lpad(trim(bron.personeelsnummer), 6, '0') and o.dienstverband = bron.dienstverband
