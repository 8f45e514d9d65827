-- Window snapshot: a case that left the window of the latest delivery keeps its last version.
with bron as (
    {{ laatste_venster(source('raw_hr', 'verzuim'), 'hr', 'verzuim', ['verzuimnummer', 'regel'], 'gewijzigd_op', 'verzuimnummer', 'einddatum') }}
),
dienstverbanden as (
    {{ laatste_snapshot(source('raw_hr', 'dienstverbanden'), ['personeelsnummer', 'dienstverband', 'geldig_van'], 'gewijzigd_op') }}
),
-- the organisation of the dienstverband, derived as staging derives it (hr_organisatie), from the same
-- rows: joining stg_hr__dienstverbanden on its pseudonym had no equal key to hash and paired every row
-- with every row of the same dienstverband number and date (minutes at national scale)
organisatie as (
    select distinct
        lpad(trim(personeelsnummer), 6, '0') as personeelsnummer,
        dienstverband,
        organisatie
    from (select *, {{ hr_organisatie('dienstverbanden') }} as organisatie from dienstverbanden)
    where organisatie is not null
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
