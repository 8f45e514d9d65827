{{ config(materialized='table', schema='semantic') }}
-- One row per valid benefit dossier (int_uitkeringen, as fct_uitkeringen) with the flags of the flow KPIs.
-- telt_instroom / telt_uitstroom: the event month lies in the organisation's data period
-- for a known municipality (int_maanden), exactly the months marts.kpi reports.
with maanden as (
    select gemeente, maand from {{ ref('int_maanden') }}
),
dossiers as (
    -- one row per dossier, also when applicant and partner are the same person
    select * from {{ ref('int_uitkeringen') }}
    qualify row_number() over (partition by dossiernummer order by uitkeringsperiode_start) = 1
)
select
    u.dossiernummer,
    u.gemeente,
    u.organisatie,
    u.regeling,
    u.leefvorm,
    u.instroomroute,
    u.reden_instroom,
    u.reden_beeindiging,
    u.uitstroom_categorie,
    case
        when u.aanvrager_geboortedatum is null then 'onbekend'
        when u.ingangsdatum < u.aanvrager_geboortedatum + interval 27 year then 'jonger dan 27'
        when u.ingangsdatum < u.aanvrager_geboortedatum + interval 35 year then '27-34'
        when u.ingangsdatum < u.aanvrager_geboortedatum + interval 45 year then '35-44'
        when u.ingangsdatum < u.aanvrager_geboortedatum + interval 55 year then '45-54'
        else '55 en ouder'
    end as leeftijdsklasse_bij_instroom,
    u.ingangsdatum,
    u.einddatum,
    coalesce(u.is_duurzame_uitstroom, false) as is_duurzame_uitstroom,
    u.is_werk_binnen_12_maanden,
    mi.maand is not null as telt_instroom,
    mu.maand is not null as telt_uitstroom
from dossiers as u
left join maanden as mi on mi.gemeente = u.gemeente and mi.maand = date_trunc('month', u.ingangsdatum)
left join maanden as mu on mu.gemeente = u.gemeente and mu.maand = date_trunc('month', u.einddatum)
where u.is_geldig
