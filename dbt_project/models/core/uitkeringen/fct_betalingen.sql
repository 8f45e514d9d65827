-- Payment lines; municipality and organisation of the dossier (NULL for a dossier no longer in the snapshot).
select regelnummer, dossiernummer, organisatie, gemeente, periode, soort, bedrag, verrekende_inkomsten, betaaldatum
from {{ ref('int_betalingen') }}
