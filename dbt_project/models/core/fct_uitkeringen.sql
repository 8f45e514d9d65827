-- One row per benefit dossier (latest snapshot); persons by pseudonym only.
select
    dossiernummer,
    organisatie,
    gemeente,
    aanvrager,
    partner,
    regeling,
    leefvorm,
    ingangsdatum,
    einddatum,
    reden_instroom,
    reden_beeindiging,
    uitstroom_categorie,
    instroomroute,
    ontheffing_arbeidsplicht,
    laatst_gewijzigd,
    is_geldig,
    uitkeringsperiode_start,
    is_duurzame_uitstroom,
    is_werk_binnen_12_maanden,
    cast(year(ingangsdatum) - year(aanvrager_geboortedatum) as integer) as aanvrager_leeftijd_jaar_instroom
from {{ ref('int_uitkeringen') }}
