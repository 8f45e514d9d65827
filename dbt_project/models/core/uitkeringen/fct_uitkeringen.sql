-- One row per valid benefit dossier (latest snapshot; a couple is one dossier) with the flags
-- every benefit flow KPI counts on. Persons by pseudonym only.
with dossiers as (
    -- one row per dossier, also when applicant and partner are the same person
    select * from {{ ref('int_uitkeringen') }}
    where is_geldig
    qualify row_number() over (partition by dossiernummer order by uitkeringsperiode_start) = 1
)
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
    uitkeringsperiode_start,
    {{ leeftijdsklasse('aanvrager_geboortedatum', 'ingangsdatum') }} as leeftijdsklasse_bij_instroom,
    {{ in_dataperiode('gemeente', 'ingangsdatum') }} as telt_instroom,
    {{ in_dataperiode('gemeente', 'einddatum') }} as telt_uitstroom,
    instroomroute = 'B' as is_b_route,
    uitstroom_categorie = 'WERK' as is_uitstroom_werk,
    uitstroom_categorie = 'ONDERWIJS' as is_uitstroom_onderwijs,
    uitstroom_categorie = 'GARANTIEBAAN' as is_uitstroom_garantiebaan,
    uitstroom_categorie = 'AUTONOOM' as is_uitstroom_autonoom,
    coalesce(is_duurzame_uitstroom, false) as is_duurzame_uitstroom,
    is_werk_binnen_12_maanden
from dossiers
