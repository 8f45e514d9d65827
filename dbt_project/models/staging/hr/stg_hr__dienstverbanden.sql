-- The organisation of a row: that of the municipality holding the Wsw or beschut indication, else
-- that of the unit (code lists unit_<organisatie>); civil-service rows carry no municipality.
with bron as (
    {{ laatste_snapshot(source('raw_hr', 'dienstverbanden'), ['personeelsnummer', 'dienstverband', 'geldig_van'], 'gewijzigd_op') }}
),
units as (
    select upper(substr(lijst, 6)) as organisatie, code
    from {{ ref('codes') }}
    where starts_with(lijst, 'unit_')
),
ingedeeld as (
    select
        bron.*,
        {{ gemeente_uit_nummer('bron.wsw_gemeente') }} as gemeente,
        coalesce(g.organisatie, u.organisatie) as organisatie
    from bron
    left join {{ ref('gemeenten') }} as g on g.cbs_code = {{ gemeente_uit_nummer('bron.wsw_gemeente') }}
    left join units as u on u.code = bron.unit_code
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
