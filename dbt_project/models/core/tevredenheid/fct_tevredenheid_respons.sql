-- One row per respondent of the surveys of the latest delivery. The delivery is a snapshot of all
-- surveys of one organisation (SOURCES.md), so the organisation of every survey in it, MTO and
-- KTO_ZAKELIJK included, is that of the municipalities its respondents name; a file naming
-- municipalities of more than one organisation has none (not_null warns).
with respondenten as (
    select * from {{ ref('stg_tevredenheid__respondenten') }}
),
bestand as (
    select case when count(distinct organisatie) = 1 then any_value(organisatie) end as organisatie
    from respondenten
    where organisatie is not null
)
select
    r.onderzoek_id || '-' || r.respondent_id as respons_id,
    r.onderzoek_id,
    r.respondent_id,
    o.soort,
    o.onderzoek_type,
    bestand.organisatie,
    r.gemeente,
    o.veldwerk_tot,
    r.ingevuld_op,
    r.rapportcijfer,
    r.rapportcijfer is not null as heeft_geldig_cijfer,
    r.volledig
from respondenten as r
join {{ ref('stg_tevredenheid__onderzoeken') }} as o on o.onderzoek_id = r.onderzoek_id
cross join bestand
