-- Payment lines with the municipality and organisation of their dossier in the latest snapshot
-- (NULL for a dossier no longer in it). A view: the lines are stored once in int_betaalregels.
select
    b.regelnummer,
    b.dossiernummer,
    u.organisatie,
    u.gemeente,
    b.periode,
    b.soort,
    b.bedrag,
    b.verrekende_inkomsten,
    b.betaaldatum
from {{ ref('int_betaalregels') }} as b
left join {{ ref('int_uitkeringen') }} as u on u.dossiernummer = b.dossiernummer
