-- Benefits per organisation, municipality and month of the data period (complete grid, zeros
-- where nothing happened). The counts behind every benefit KPI of marts.kpi.
with stand as (
    select
        gemeente, maand,
        count(*) as eindstand,
        count(*) filter (where is_jongere) as jongeren_eindstand,
        count(*) filter (where is_langer_dan_2_jaar) as langer_dan_2_jaar,
        count(*) filter (where heeft_deeltijdarbeid) as deeltijdarbeid
    from {{ ref('int_uitkeringen_maandeinde') }}
    group by gemeente, maand
),
instroom as (
    select
        gemeente, cast(date_trunc('month', ingangsdatum) as date) as maand,
        count(*) as instroom,
        count(*) filter (where instroomroute = 'B') as instroom_b_route,
        count(*) filter (where is_werk_binnen_12_maanden) as instroom_werk_binnen_12_maanden
    from {{ ref('int_uitkeringen') }}
    where is_geldig
    group by all
),
uitstroom as (
    select
        gemeente, cast(date_trunc('month', einddatum) as date) as maand,
        count(*) as uitstroom,
        count(*) filter (where uitstroom_categorie = 'WERK') as uitstroom_werk,
        count(*) filter (where uitstroom_categorie = 'ONDERWIJS') as uitstroom_onderwijs,
        count(*) filter (where uitstroom_categorie = 'GARANTIEBAAN') as uitstroom_garantiebaan,
        count(*) filter (where uitstroom_categorie = 'AUTONOOM') as uitstroom_autonoom,
        count(*) filter (where is_duurzame_uitstroom) as uitstroom_werk_duurzaam
    from {{ ref('int_uitkeringen') }}
    where is_geldig and einddatum is not null
    group by all
),
meldingen as (
    select
        gemeente, cast(date_trunc('month', meldingsdatum) as date) as maand,
        count(*) as meldingen,
        count(*) filter (where is_preventie) as preventie,
        count(*) filter (where is_jongere) as meldingen_jongeren,
        count(*) filter (where is_jongere and is_preventie) as preventie_jongeren
    from {{ ref('int_meldingen') }}
    group by all
),
besluiten as (
    select
        gemeente, cast(date_trunc('month', besluitdatum) as date) as maand,
        count(*) as aanvragen_besloten,
        count(*) filter (where is_binnen_4_weken) as aanvragen_binnen_4_weken
    from {{ ref('int_meldingen') }}
    where is_besloten_aanvraag
    group by all
)
select
    m.organisatie,
    m.gemeente,
    m.maand,
    m.periode,
    m.jaar,
    coalesce(s.eindstand, 0) as eindstand,
    coalesce(i.instroom, 0) as instroom,
    coalesce(i.instroom_b_route, 0) as instroom_b_route,
    coalesce(u.uitstroom, 0) as uitstroom,
    coalesce(u.uitstroom_werk, 0) as uitstroom_werk,
    coalesce(u.uitstroom_onderwijs, 0) as uitstroom_onderwijs,
    coalesce(u.uitstroom_garantiebaan, 0) as uitstroom_garantiebaan,
    coalesce(u.uitstroom_autonoom, 0) as uitstroom_autonoom,
    coalesce(u.uitstroom_werk_duurzaam, 0) as uitstroom_werk_duurzaam,
    coalesce(i.instroom_werk_binnen_12_maanden, 0) as instroom_werk_binnen_12_maanden,
    coalesce(s.jongeren_eindstand, 0) as jongeren_eindstand,
    coalesce(s.langer_dan_2_jaar, 0) as langer_dan_2_jaar,
    coalesce(s.deeltijdarbeid, 0) as deeltijdarbeid,
    coalesce(me.meldingen, 0) as meldingen,
    coalesce(me.preventie, 0) as preventie,
    coalesce(me.meldingen_jongeren, 0) as meldingen_jongeren,
    coalesce(me.preventie_jongeren, 0) as preventie_jongeren,
    coalesce(b.aanvragen_besloten, 0) as aanvragen_besloten,
    coalesce(b.aanvragen_binnen_4_weken, 0) as aanvragen_binnen_4_weken
from {{ ref('int_maanden') }} as m
left join stand as s on s.gemeente = m.gemeente and s.maand = m.maand
left join instroom as i on i.gemeente = m.gemeente and i.maand = m.maand
left join uitstroom as u on u.gemeente = m.gemeente and u.maand = m.maand
left join meldingen as me on me.gemeente = m.gemeente and me.maand = m.maand
left join besluiten as b on b.gemeente = m.gemeente and b.maand = m.maand
