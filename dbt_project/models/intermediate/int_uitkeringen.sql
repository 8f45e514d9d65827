-- Dossiers with everything the facts and KPIs need: outflow category, applicant and partner
-- pseudonym, the applicant's spell start, duurzame uitstroom and werk-binnen-12-maanden.
with dossiers as (
    select
        u.*,
        u.einddatum is null or u.einddatum >= u.ingangsdatum as is_geldig,
        case
            when u.einddatum is null then null
            else coalesce(c.categorie, 'ONBEKEND')
        end as uitstroom_categorie
    from {{ ref('stg_civision__uitkeringen') }} as u
    left join {{ ref('codes') }} as c on c.lijst = 'reden_beeindiging' and c.code = u.reden_beeindiging
),
personen_dossier as (
    select persoonsnummer, dossiernummer, ingangsdatum from dossiers where is_geldig
    union all
    select partner_persoonsnummer, dossiernummer, ingangsdatum from dossiers
    where is_geldig and partner_persoonsnummer is not null
),
werk_uitstroom as (
    select dossiernummer, persoonsnummer, einddatum from dossiers
    where is_geldig and uitstroom_categorie = 'WERK'
    union all
    select dossiernummer, partner_persoonsnummer, einddatum from dossiers
    where is_geldig and uitstroom_categorie = 'WERK' and partner_persoonsnummer is not null
),
terugval as (
    -- applicant or partner starts a new dossier within 183 days after einddatum
    select distinct w.dossiernummer
    from werk_uitstroom as w
    join personen_dossier as n
        on n.persoonsnummer = w.persoonsnummer
        and n.dossiernummer <> w.dossiernummer
        and n.ingangsdatum > w.einddatum
        and n.ingangsdatum <= w.einddatum + 183
)
select
    d.dossiernummer,
    d.persoonsnummer,
    d.partner_persoonsnummer,
    aanvrager.pseudoniem as aanvrager,
    partner.pseudoniem as partner,
    aanvrager.geboortedatum as aanvrager_geboortedatum,
    d.organisatie,
    d.gemeente,
    d.regeling,
    d.leefvorm,
    d.ingangsdatum,
    d.einddatum,
    d.reden_instroom,
    d.reden_beeindiging,
    d.uitstroom_categorie,
    d.instroomroute,
    d.ontheffing_arbeidsplicht,
    d.laatst_gewijzigd,
    d.is_geldig,
    p.periode_start as uitkeringsperiode_start,
    case when d.uitstroom_categorie = 'WERK' then t.dossiernummer is null end as is_duurzame_uitstroom,
    coalesce(
        d.uitstroom_categorie = 'WERK' and d.einddatum <= d.ingangsdatum + interval 12 month, false
    ) as is_werk_binnen_12_maanden
from dossiers as d
left join {{ ref('int_personen') }} as aanvrager on aanvrager.persoonsnummer = d.persoonsnummer
left join {{ ref('int_personen') }} as partner on partner.persoonsnummer = d.partner_persoonsnummer
left join {{ ref('int_uitkeringsperiodes') }} as p
    on p.persoonsnummer = d.persoonsnummer and p.dossiernummer = d.dossiernummer
left join terugval as t on t.dossiernummer = d.dossiernummer
