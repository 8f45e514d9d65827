-- The current dienstverband rows; organisation by hr_organisatie, the employee pseudonym in place of the number.
with bron as (
    {{ laatste_snapshot(source('raw_hr', 'dienstverbanden'), ['personeelsnummer', 'dienstverband', 'geldig_van'], 'gewijzigd_op') }}
),
ingedeeld as (
    select
        bron.*,
        {{ gemeente_uit_nummer('bron.wsw_gemeente') }} as gemeente,
        {{ hr_organisatie('bron') }} as organisatie
    from bron
)
select
    {{ medewerker('organisatie', 'personeelsnummer') }} as medewerker,
    dienstverband,
    pseudoniem(bsn) as pseudoniem,
    organisatie,
    gemeente,
    soort,
    ingangsdatum,
    {{ open_einde('einddatum') }} as einddatum,
    geldig_van,
    {{ open_einde('geldig_tot') }} as geldig_tot,
    uren_per_week,
    normuren_per_week,
    fte,
    unit_code,
    unit_naam,
    kostenplaats,
    werksoort,
    case
        when soort = 'AMBTELIJK' then werksoort_groep
        else coalesce(werksoort_groep, 'ONBEKEND')
    end as werksoort_groep,
    reden_uit_dienst,
    gewijzigd_op,
    _levering
from ingedeeld
